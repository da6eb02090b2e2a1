"""A small fixture community builds into exactly the checked-in tree tests/golden/expected/.

The community (tests/golden/community/) has three published members, a draft, one pending
claim, one avatar and one page. Pagefind's files are left out of the byte comparison (their
bytes change with the Pagefind release, which pyproject lets float); the test asserts they exist.

After an intended change to the site, regenerate the tree and review the diff:

    CONNECTORY_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden_site.py
    git diff --stat tests/golden/expected/
"""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

import pytest

from site_helpers import build_site, files_of

GOLDEN = Path(__file__).resolve().parent / "golden"
COMMUNITY = GOLDEN / "community"
EXPECTED = GOLDEN / "expected"
UPDATE = bool(os.environ.get("CONNECTORY_UPDATE_GOLDEN"))
HOW = ("if the change is intended, regenerate and review: CONNECTORY_UPDATE_GOLDEN=1 "
       ".venv/bin/python -m pytest tests/test_golden_site.py; git diff tests/golden/expected/")
SEARCH_FILES = ("pagefind/pagefind.js", "pagefind/pagefind-entry.json")


def _compared(out: Path) -> list[Path]:
    """The files the comparison covers: all but Pagefind's."""
    return [rel for rel in files_of(out) if rel.parts[0] != "pagefind"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture community, built; copied over tests/golden/expected when updating."""
    out = build_site(COMMUNITY, tmp_path_factory.mktemp("golden") / "site")
    if UPDATE:
        shutil.rmtree(EXPECTED, ignore_errors=True)
        for rel in _compared(out):
            (EXPECTED / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(out / rel, EXPECTED / rel)
    return out


def test_the_build_writes_exactly_the_expected_files(built: Path) -> None:
    assert EXPECTED.is_dir(), "no golden tree yet: run with CONNECTORY_UPDATE_GOLDEN=1"
    assert [p.as_posix() for p in _compared(built)] == [p.as_posix() for p in files_of(EXPECTED)], HOW


def test_every_file_has_the_expected_bytes(built: Path) -> None:
    assert EXPECTED.is_dir(), "no golden tree yet: run with CONNECTORY_UPDATE_GOLDEN=1"
    differ = []
    for rel in files_of(EXPECTED):
        got, want = (built / rel), (EXPECTED / rel)
        if got.is_file() and got.read_bytes() != want.read_bytes():
            differ.append(_diff(rel, got, want))
    assert not differ, f"the build differs from tests/golden/expected/ ({HOW}):\n" + "\n".join(differ)


def test_the_search_index_is_written(built: Path) -> None:
    assert all((built / rel).is_file() for rel in SEARCH_FILES)
    fragments = [rel for rel in files_of(built) if rel.suffix == ".pf_fragment"]
    assert len(fragments) == 3  # one per published member page; no draft, no other page


def _diff(rel: Path, got: Path, want: Path) -> str:
    """A short unified diff for text files, a size note for binary ones."""
    try:
        lines = difflib.unified_diff(want.read_text(encoding="utf-8").splitlines(),
                                     got.read_text(encoding="utf-8").splitlines(),
                                     f"expected/{rel}", f"built/{rel}", lineterm="", n=1)
        return "\n".join(list(lines)[:40])
    except UnicodeDecodeError:
        return f"{rel}: binary, {want.stat().st_size} bytes expected, {got.stat().st_size} built"
