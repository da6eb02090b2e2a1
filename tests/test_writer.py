"""Pages written by the render workers: straight into the new folder, still checked, still atomic."""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from typing import Sequence

import pytest

from generator import parallel
from generator.errors import ConnectoryError
from generator.writer import DuplicateOutput, FolderWriter, Trash, remove_tree, write_site


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


@pytest.fixture
def previous_site(tmp_path: Path) -> Path:
    out = tmp_path / "out" / "site"
    out.mkdir(parents=True)
    (out / "index.html").write_text("old site", encoding="utf-8")
    return out


@pytest.fixture
def two_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    """ordered_map forks for a handful of items, a few per chunk."""
    monkeypatch.setattr(parallel, "MIN_ITEMS", 0)
    monkeypatch.setattr(parallel, "CHUNK", 3)


def _member_pages(context: str, handles: Sequence[str]) -> list[tuple[str, bytes]]:
    return [(f"members/{h}/{page}index.html", f"{context} {h} {page}".encode())
            for h in handles for page in ("", "introductions/")]


def _failing_pages(context: str, handles: Sequence[str]) -> list[tuple[str, bytes]]:
    if "m050" in handles:
        raise RuntimeError("a template failed")
    return _member_pages(context, handles)


def test_folder_writer_writes_the_pages_and_returns_only_their_paths(tmp_path: Path) -> None:
    written = FolderWriter(str(tmp_path))(_member_pages("x", ["ada", "grace"]))
    assert written == [(path, None) for path, _ in _member_pages("x", ["ada", "grace"])]
    assert snapshot(tmp_path) == dict(_member_pages("x", ["ada", "grace"]))


def test_folder_writer_checks_every_path_of_a_chunk_before_writing_any(tmp_path: Path) -> None:
    with pytest.raises(ConnectoryError):
        FolderWriter(str(tmp_path / "site"))([("ok.html", b"x"), ("../escape.html", b"y")])
    assert list(tmp_path.iterdir()) == []


def test_a_site_written_by_workers_is_the_site_written_here(tmp_path: Path, two_workers: None) -> None:
    handles = [f"m{i:03d}" for i in range(20)]
    write_site(lambda folder: parallel.ordered_map(_member_pages, "x", handles, 2, FolderWriter(str(folder))),
               tmp_path / "by-workers")
    write_site(parallel.ordered_map(_member_pages, "x", handles, 1), tmp_path / "here")
    assert snapshot(tmp_path / "by-workers") == snapshot(tmp_path / "here") == dict(_member_pages("x", handles))


def test_a_page_written_by_a_worker_still_counts_for_duplicates(previous_site: Path) -> None:
    def outputs(folder: Path) -> list:
        return [*FolderWriter(str(folder))([("About/index.html", b"one")]), ("about/index.html", b"two")]

    before = snapshot(previous_site)
    with pytest.raises(DuplicateOutput):
        write_site(outputs, previous_site)
    assert snapshot(previous_site) == before
    assert leftovers(previous_site) == []


def test_a_duplicate_stops_the_workers_before_the_new_folder_is_removed(previous_site: Path,
                                                                        two_workers: None) -> None:
    handles = ["m000", "m001", "m002", "m000"] + [f"m{i:03d}" for i in range(3, 300)]
    before = snapshot(previous_site)
    with pytest.raises(DuplicateOutput):
        write_site(lambda folder: parallel.ordered_map(_member_pages, "x", handles, 2, FolderWriter(str(folder))),
                   previous_site)
    assert multiprocessing.active_children() == []  # none left to write into a deleted folder
    assert leftovers(previous_site) == []
    assert snapshot(previous_site) == before


def test_a_failing_worker_leaves_the_previous_site_and_no_new_folder(previous_site: Path, two_workers: None) -> None:
    handles = [f"m{i:03d}" for i in range(100)]
    before = snapshot(previous_site)
    with pytest.raises(RuntimeError, match="a template failed"):
        write_site(lambda folder: parallel.ordered_map(_failing_pages, "x", handles, 2, FolderWriter(str(folder))),
                   previous_site)
    assert multiprocessing.active_children() == []
    assert leftovers(previous_site) == []
    assert snapshot(previous_site) == before


def test_remove_tree_deletes_every_level_and_never_follows_a_link(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("mine")
    site = tmp_path / "site"
    FolderWriter(str(site))([*_member_pages("x", [f"m{i}" for i in range(50)]), ("index.html", b"home"),
                             ("assets/a/b/c/deep.css", b"deep")])
    (site / "members" / "m1" / "link").symlink_to(outside)
    (site / "members" / "top-link").symlink_to(outside)
    remove_tree(site)
    assert not site.exists()
    assert (outside / "keep.txt").read_text() == "mine"


def test_the_previous_site_goes_to_discard_once_the_new_one_is_in_place(previous_site: Path) -> None:
    discarded: list[Path] = []
    write_site([("index.html", b"new")], previous_site, discard=discarded.append)
    assert snapshot(previous_site) == {"index.html": b"new"}
    assert [list(snapshot(folder).values()) for folder in discarded] == [[b"old site"]]  # aside, or swapped out


def test_trash_deletes_a_folder_by_the_time_wait_returns(tmp_path: Path) -> None:
    site = tmp_path / "old"
    FolderWriter(str(site))(_member_pages("x", [f"m{i}" for i in range(50)]))
    with Trash() as trash:
        trash.put(site)
    assert not site.exists()
