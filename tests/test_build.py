"""Building: check first, write atomically, refuse collisions, report clearly."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import WriteCommunity, profile
from generator import search
from generator.build import build
from generator.cli import cli
from generator.errors import CheckFailed, ConnectoryError, UsageError
from generator.writer import DuplicateOutput, write_site

BROKEN = "---\nname: Broken\nunknown_key: 1\n---\n"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def previous_site(tmp_path: Path) -> Path:
    """An output folder from an earlier build, with a file no new build would write."""
    out = tmp_path / "out" / "site"
    out.mkdir(parents=True)
    (out / "index.html").write_text("old site", encoding="utf-8")
    (out / "stale.html").write_text("stale", encoding="utf-8")
    return out


def leftovers(out: Path) -> list[str]:
    """Temporary folders a build left beside the output."""
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


def test_a_community_with_errors_leaves_the_output_untouched(write_community: WriteCommunity,
                                                             previous_site: Path) -> None:
    root = write_community({"content/members/ada.md": profile("Ada"), "content/members/bad.md": BROKEN})
    before = snapshot(previous_site)
    with pytest.raises(CheckFailed) as failed:
        build(root, previous_site, search=False)
    assert any(p.file == "content/members/bad.md" for p in failed.value.problems)
    assert snapshot(previous_site) == before
    assert leftovers(previous_site) == []


def test_a_good_build_replaces_the_output_whole(write_community: WriteCommunity, previous_site: Path) -> None:
    root = write_community({"content/members/ada.md": profile("Ada")})
    summary = build(root, previous_site, search=False)
    assert not (previous_site / "stale.html").exists()
    assert (previous_site / "members" / "ada" / "index.html").is_file()
    assert (summary.members, summary.pages) == (1, len([p for p in snapshot(previous_site) if p.endswith(".html")]))
    assert leftovers(previous_site) == []


def test_a_failure_while_writing_leaves_the_output_untouched(previous_site: Path) -> None:
    def outputs():
        yield "index.html", b"new"
        raise RuntimeError("disk full")

    before = snapshot(previous_site)
    with pytest.raises(RuntimeError):
        write_site(outputs(), previous_site)
    assert snapshot(previous_site) == before
    assert leftovers(previous_site) == []


def test_a_failing_search_index_leaves_the_output_untouched(previous_site: Path) -> None:
    def finish(folder: Path) -> None:
        raise ConnectoryError("Pagefind could not build the search index")

    before = snapshot(previous_site)
    with pytest.raises(ConnectoryError):
        write_site([("index.html", b"new")], previous_site, finish=finish)
    assert snapshot(previous_site) == before
    assert leftovers(previous_site) == []


def test_two_outputs_on_one_path_are_refused(previous_site: Path) -> None:
    before = snapshot(previous_site)
    with pytest.raises(DuplicateOutput) as refused:
        write_site([("about/index.html", b"one"), ("about/index.html", b"two")], previous_site)
    assert refused.value.path == "about/index.html"
    assert snapshot(previous_site) == before


def test_paths_differing_only_in_case_are_one_path(tmp_path: Path) -> None:
    with pytest.raises(DuplicateOutput):
        write_site([("About/index.html", b"one"), ("about/index.html", b"two")], tmp_path / "site")


@pytest.mark.parametrize("path", ["../escape.html", "/etc/x", "a//b", "a/./b", "a\\b", ""])
def test_paths_outside_the_output_are_refused(tmp_path: Path, path: str) -> None:
    with pytest.raises(ConnectoryError):
        write_site([(path, b"x")], tmp_path / "site")
    assert not (tmp_path / "escape.html").exists()


def test_a_page_named_like_a_built_in_section_is_a_named_error(write_community: WriteCommunity) -> None:
    root = write_community({"content/members/ada.md": profile("Ada"),
                            "content/pages/topics.md": "---\ntitle: Topics\n---\nMine.\n"})
    with pytest.raises(DuplicateOutput, match="topics/index.html"):
        build(root, search=False)
    assert not (root / "site").exists()


def test_the_output_folder_defaults_to_site_beside_content(write_community: WriteCommunity) -> None:
    root = write_community({"content/members/ada.md": profile("Ada")})
    assert build(root, search=False).out == (root / "site").absolute()


@pytest.mark.parametrize("out", [".", "content", "content/members", "themes/x", ".."])
def test_building_over_the_community_itself_is_refused(write_community: WriteCommunity, out: str) -> None:
    root = write_community({"content/members/ada.md": profile("Ada")})
    with pytest.raises(UsageError):
        build(root, root / out, search=False)
    assert (root / "content" / "members" / "ada.md").is_file()


def test_a_bad_base_url_is_a_usage_error(write_community: WriteCommunity) -> None:
    root = write_community({"content/members/ada.md": profile("Ada")})
    with pytest.raises(UsageError, match="base URL"):
        build(root, base_url="example.org", search=False)


def test_drafts_are_built_only_when_asked(write_community: WriteCommunity, tmp_path: Path) -> None:
    root = write_community({"content/members/ada.md": profile("Ada", draft="true"),
                            "content/members/bob.md": profile("Bob")})
    build(root, tmp_path / "plain", search=False)
    build(root, tmp_path / "preview", drafts=True, search=False)
    assert not (tmp_path / "plain" / "members" / "ada").exists()
    assert (tmp_path / "preview" / "members" / "ada" / "index.html").is_file()


def test_a_missing_pagefind_binary_is_a_clear_error(write_community: WriteCommunity, previous_site: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "get_executable", lambda: None)
    root = write_community({"content/members/ada.md": profile("Ada")})
    before = snapshot(previous_site)
    with pytest.raises(ConnectoryError, match=r"pip install 'pagefind\[bin\]'"):
        build(root, previous_site)
    assert snapshot(previous_site) == before


def test_the_search_index_is_built_and_identical_across_builds(write_community: WriteCommunity,
                                                                 tmp_path: Path) -> None:
    root = write_community({"content/members/ada.md": profile("Ada", fields="[maths, poetry]", location="London"),
                            "content/members/bob.md": profile("Bob", fields="[maths]", offers="[review, coffee]")})
    first, second = build(root, tmp_path / "one"), build(root, tmp_path / "two")
    assert (first.out / "pagefind" / "pagefind.js").is_file()
    assert snapshot(first.out) == snapshot(second.out)


def test_a_build_called_from_a_running_event_loop_indexes_the_site(write_community: WriteCommunity,
                                                                    tmp_path: Path) -> None:
    # Jupyter, async callers and Playwright's sync API all build with a loop running in this thread.
    root = write_community({"content/members/ada.md": profile("Ada", fields="[maths]")})

    async def main() -> object:
        return build(root, tmp_path / "site")

    summary = asyncio.run(main())
    assert (summary.out / "pagefind" / "pagefind.js").is_file()


def test_cli_build_prints_one_summary_line(write_community: WriteCommunity, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_community({"content/members/ada.md": profile("Ada")})
    result = CliRunner().invoke(cli, ["build", "--source", str(root), "--out", str(tmp_path / "public"),
                                      "--base-url", "https://example.org/c/"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("built 1 member into ") and " s: " in lines[0]
    assert b"https://example.org/c/members/ada/" in (tmp_path / "public" / "sitemap.xml").read_bytes()


def test_cli_build_reports_problems_like_check_and_exits_1(write_community: WriteCommunity) -> None:
    root = write_community({"content/members/bad.md": BROKEN})
    result = CliRunner().invoke(cli, ["build", "--source", str(root)])
    assert result.exit_code == 1
    assert "content/members/bad.md:3:" in result.output and "unknown_key" in result.output
    assert "nothing was built" in result.output
    assert not (root / "site").exists()
