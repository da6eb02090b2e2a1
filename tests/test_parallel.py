"""Rendering on several processes gives exactly the site one process gives."""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Sequence

import pytest

from conftest import WriteCommunity, profile
from generator import parallel
from generator.build import build
from generator.community import load_community


def _pages(context: str, items: Sequence[str]) -> list[tuple[str, bytes]]:
    return [(f"{context}/{item}", item.encode()) for item in items]


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_ordered_map_keeps_the_order_of_the_items(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_ITEMS", 0)
    monkeypatch.setattr(parallel, "CHUNK", 3)
    items = [f"m{i:03d}" for i in range(50)]
    assert list(parallel.ordered_map(_pages, "members", items, jobs=2)) == _pages("members", items)


def test_a_site_rendered_on_two_processes_is_byte_identical(write_community: WriteCommunity, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_ITEMS", 0)
    monkeypatch.setattr(parallel, "CHUNK", 2)
    names = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances"]
    handles = [n.lower() for n in names]
    source = write_community({f"content/members/{h}.md": profile(n, connections=f"[{', '.join(o for o in handles if o != h)}]",
                                                                 asks="[compilers]", offers="[proofs]")
                              for h, n in zip(handles, names)})
    build(source, tmp_path / "one", search=False, jobs=1)
    build(source, tmp_path / "two", search=False, jobs=2)
    assert _tree(tmp_path / "one") == _tree(tmp_path / "two")


def test_profiles_read_on_two_processes_give_the_same_problems_and_members(
        write_community: WriteCommunity, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_ITEMS", 0)
    monkeypatch.setattr(parallel, "CHUNK", 2)
    source = write_community({
        "content/members/ada.md": profile("Ada", connections="[grace, nobody]"),
        "content/members/grace.md": profile("Grace", nmae="typo"),
        "content/members/alan.md": "no front matter\n",
        "content/members/edsger.md": profile("Edsger", connections="[ada]", joined="2019-02-30"),
        "content/members/barbara.md": profile("Barbara"),
    })
    one, two = load_community(source, jobs=1), load_community(source, jobs=2)
    assert one.problems == two.problems and one.problems
    assert one.community.members == two.community.members


def _pids(results: list[tuple[str, bytes]]) -> list[tuple[str, int]]:
    return [(path, os.getpid()) for path, _ in results]


def test_then_runs_in_the_worker_that_made_the_results(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_ITEMS", 0)
    monkeypatch.setattr(parallel, "CHUNK", 3)
    items = [f"m{i:03d}" for i in range(50)]
    results = list(parallel.ordered_map(_pages, "members", items, jobs=2, then=_pids))
    assert [path for path, _ in results] == [path for path, _ in _pages("members", items)]
    assert os.getpid() not in {pid for _, pid in results}


def test_then_runs_here_in_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    items = [f"m{i:03d}" for i in range(50)]
    results = list(parallel.ordered_map(_pages, "members", items, jobs=1, then=_pids))
    assert results == [(path, os.getpid()) for path, _ in _pages("members", items)]


def _sigterm_is_default(context: str, items: Sequence[str]) -> list[bool]:
    return [signal.getsignal(signal.SIGTERM) == signal.SIG_DFL for _ in items]


def test_workers_die_of_sigterm_even_when_the_parent_catches_it(monkeypatch: pytest.MonkeyPatch) -> None:
    # The pool ends its workers with SIGTERM; serve catches SIGTERM in its process, and a worker
    # that inherited that handler would outlive terminate() and leave the build waiting forever.
    monkeypatch.setattr(parallel, "MIN_ITEMS", 0)
    monkeypatch.setattr(parallel, "CHUNK", 3)
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: None)
    try:
        answers = list(parallel.ordered_map(_sigterm_is_default, "members", [f"m{i}" for i in range(12)], jobs=2))
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert answers == [True] * 12
