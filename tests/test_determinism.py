"""The same input gives byte-identical output: two builds of the example, compared file by file."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_helpers import EXAMPLE, SUB_PATH_BASE, build_site, files_of


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The example community built twice, into two different folders."""
    first = build_site(EXAMPLE, tmp_path_factory.mktemp("first") / "site", "--base-url", SUB_PATH_BASE)
    second = build_site(EXAMPLE, tmp_path_factory.mktemp("second") / "elsewhere", "--base-url", SUB_PATH_BASE)
    return first, second


def test_two_builds_write_the_same_files(two_builds: tuple[Path, Path]) -> None:
    first, second = two_builds
    assert files_of(first) == files_of(second)


def test_two_builds_write_the_same_bytes_in_every_file(two_builds: tuple[Path, Path]) -> None:
    first, second = two_builds
    differ = [rel.as_posix() for rel in files_of(first)
              if (second / rel).is_file() and (first / rel).read_bytes() != (second / rel).read_bytes()]
    assert not differ, f"{len(differ)} files differ between two builds:\n" + "\n".join(differ[:30])


def test_the_search_index_is_part_of_the_comparison(two_builds: tuple[Path, Path]) -> None:
    first, _ = two_builds
    assert any(rel.parts[0] == "pagefind" and rel.suffix == ".pf_fragment" for rel in files_of(first))
