"""update.py: an incremental build's in-place update of the site, staged and journaled."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator import update
from generator.update import finish_update, journal_path, update_site
from generator.writer import FolderWriter, Output, Written


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def inodes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    out = tmp_path / "site"
    for rel, text in {"index.html": "home 1", "members/ada/index.html": "ada 1", "members/bob/index.html": "bob 1",
                      "members/bob/introductions/index.html": "bob intros", "topics/x/index.html": "x 1"}.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(text)
    return out


KNOWN = frozenset({"index.html", "members/ada/index.html", "members/bob/index.html",
                   "members/bob/introductions/index.html", "topics/x/index.html"})


def outputs_of(made: dict[str, str], kept: list[str]):
    def outputs(stage: Path) -> list[Output | Written]:
        store = FolderWriter(str(stage), in_place=True)
        return [*store.keep(kept), *((path, text.encode()) for path, text in made.items())]
    return outputs


def test_made_files_replace_the_old_ones_kept_files_stay_and_dropped_files_go(site: Path) -> None:
    before = inodes(site)
    count, paths = update_site(outputs_of({"index.html": "home 2", "members/ada/index.html": "ada 2"},
                                          ["members/bob/index.html", "topics/x/index.html"]), site, KNOWN)
    assert tree(site) == {"index.html": b"home 2", "members/ada/index.html": b"ada 2",
                          "members/bob/index.html": b"bob 1", "topics/x/index.html": b"x 1"}
    assert count == 4 and paths == {"index.html", "members/ada/index.html", "members/bob/index.html",
                                    "topics/x/index.html"}
    assert inodes(site)["members/bob/index.html"] == before["members/bob/index.html"]  # never rewritten
    assert not (site / "members/bob/introductions").exists()  # emptied by the deletion, removed
    assert [p.name for p in site.parent.iterdir() if p.name != "site"] == []  # no stage, no journal left


def test_a_failure_before_the_commit_leaves_the_site_exactly_as_it_was(site: Path) -> None:
    before, numbers = tree(site), inodes(site)

    def failing(stage: Path):
        yield "index.html", b"home 2"
        raise RuntimeError("a template broke")

    with pytest.raises(RuntimeError):
        update_site(failing, site, KNOWN)
    assert tree(site) == before and inodes(site) == numbers
    assert [p.name for p in site.parent.iterdir() if p.name != "site"] == []


def test_an_update_that_died_after_its_commit_point_is_finished_by_the_next_build(
        site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = update._apply
    calls = []

    def dies_after_one_move(out: Path, journal: dict) -> None:
        calls.append(1)
        first = dict(journal, moves=journal["moves"][:1], deletions=[])
        real(out, first)
        raise KeyboardInterrupt  # killed mid-update

    monkeypatch.setattr(update, "_apply", dies_after_one_move)
    with pytest.raises(KeyboardInterrupt):
        update_site(outputs_of({"index.html": "home 2", "members/ada/index.html": "ada 2"},
                               ["members/bob/index.html", "topics/x/index.html"]), site, KNOWN)
    assert journal_path(site).exists()
    assert tree(site)["index.html"] == b"home 2" and tree(site)["members/ada/index.html"] == b"ada 1"  # half done
    monkeypatch.setattr(update, "_apply", real)
    assert finish_update(site)
    assert tree(site) == {"index.html": b"home 2", "members/ada/index.html": b"ada 2",
                          "members/bob/index.html": b"bob 1", "topics/x/index.html": b"x 1"}
    assert not journal_path(site).exists()
    assert not finish_update(site)  # nothing left to do


def test_only_new_search_bundle_files_move_in_and_the_entry_file_moves_last(site: Path) -> None:
    bundle = site / "pagefind"
    for rel, text in {"pagefind-entry.json": "entry 1", "fragment/en_aaa.pf_fragment": "a",
                      "fragment/en_old.pf_fragment": "old", "pagefind.js": "js", "pagefind-ui.js": "ui 1"}.items():
        (bundle / rel).parent.mkdir(parents=True, exist_ok=True)
        (bundle / rel).write_text(text)
    before = inodes(site)

    def finish(stage: Path) -> None:
        for rel, text in {"pagefind-entry.json": "entry 2", "fragment/en_aaa.pf_fragment": "a",
                          "fragment/en_new.pf_fragment": "new", "pagefind.js": "js", "pagefind-ui.js": "ui 2"}.items():
            (stage / "pagefind" / rel).parent.mkdir(parents=True, exist_ok=True)
            (stage / "pagefind" / rel).write_text(text)

    moves, deletions = [], []
    real = update._apply

    def seen(out: Path, journal: dict) -> None:
        moves.extend(journal["moves"])
        deletions.extend(journal["deletions"])
        real(out, journal)

    update._apply, restore = seen, update._apply
    try:
        update_site(outputs_of({"index.html": "home 2"}, sorted(KNOWN - {"index.html"})), site, KNOWN, finish=finish)
    finally:
        update._apply = restore
    assert moves[-1] == "pagefind/pagefind-entry.json"
    assert "pagefind/fragment/en_aaa.pf_fragment" not in moves  # named by its content: already there
    assert "pagefind/fragment/en_new.pf_fragment" in moves
    assert "pagefind/pagefind-ui.js" in moves and "pagefind/pagefind.js" not in moves  # by bytes: same size, new
    assert deletions == ["pagefind/fragment/en_old.pf_fragment"]
    assert inodes(site)["pagefind/fragment/en_aaa.pf_fragment"] == before["pagefind/fragment/en_aaa.pf_fragment"]
    assert tree(bundle) == {"fragment/en_aaa.pf_fragment": b"a", "fragment/en_new.pf_fragment": b"new",
                            "pagefind-entry.json": b"entry 2", "pagefind.js": b"js", "pagefind-ui.js": b"ui 2"}


def test_a_journal_that_is_not_ours_is_left_alone(site: Path) -> None:
    journal_path(site).write_text("not json")
    before = tree(site)
    assert not finish_update(site)
    assert tree(site) == before and os.path.exists(journal_path(site))


def test_a_second_build_into_the_same_folder_stops_while_the_first_runs(tmp_path: Path) -> None:
    from generator.errors import ConnectoryError
    from generator.writer import one_build

    out, cache = tmp_path / "site", tmp_path / ".connectory-cache"
    with one_build(out, cache):
        with pytest.raises(ConnectoryError, match="another build is writing"):
            with one_build(out, cache):
                pass
    with one_build(out, cache):  # released: the next one goes ahead
        pass


def test_what_killed_builds_left_beside_the_site_is_cleared_once_the_lock_is_held(site: Path) -> None:
    from generator.writer import one_build

    left = [site.parent / name for name in (".site.new-abc", ".site.search-def", ".site.stage-ghi")]
    for folder in left:
        (folder / "members").mkdir(parents=True)
        (folder / "members" / "x.html").write_text("half")
    other = site.parent / ".other.new-abc"  # another site's: not ours to clear
    other.mkdir()
    before = tree(site)
    with one_build(site, site.parent / ".connectory-cache"):
        assert not any(folder.exists() for folder in left)
    assert other.is_dir() and tree(site) == before
