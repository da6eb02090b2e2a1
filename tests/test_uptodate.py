"""A rebuild with nothing changed does nothing; any change to what a build reads builds again."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import WriteCommunity, profile
from generator.build import build
from generator.cli import cli
from generator.uptodate import CACHE_DIR, file_system_now, inputs_digest, scan


@pytest.fixture
def community(write_community: WriteCommunity) -> Path:
    return write_community({
        "content/site.yaml": "title: Stamps\nbase_url: /\n",
        "content/members/ada.md": profile("Ada Lovelace", connections="[grace]"),
        "content/members/grace.md": profile("Grace Hopper", connections="[ada]"),
    })


def quick(source: Path, **options: object):
    return build(source, search=False, cache=True, jobs=1, **options)


def test_a_second_build_with_nothing_changed_does_nothing(community: Path) -> None:
    first = quick(community)
    inode = os.stat(community / "site").st_ino
    again = quick(community)
    assert not first.unchanged and again.unchanged
    assert os.stat(community / "site").st_ino == inode  # the same folder: not rebuilt and swapped
    assert (again.members, again.pages, again.files) == (first.members, first.pages, first.files)


def test_an_edited_profile_builds_again_and_shows_the_edit(community: Path) -> None:
    quick(community)
    path = community / "content" / "members" / "ada.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Bio of", "Now the bio of"), encoding="utf-8")
    again = quick(community)
    assert not again.unchanged
    assert "Now the bio of" in (community / "site" / "members" / "ada" / "index.html").read_text(encoding="utf-8")


def test_a_new_file_in_content_builds_again(community: Path) -> None:
    quick(community)
    (community / "content" / "members" / "alan.md").write_text(profile("Alan Turing"), encoding="utf-8")
    again = quick(community)
    assert not again.unchanged and again.members == 3


def test_a_deleted_site_is_built_again(community: Path) -> None:
    quick(community)
    for path in sorted((community / "site").rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    (community / "site").rmdir()
    again = quick(community)
    assert not again.unchanged and (community / "site" / "index.html").is_file()


def test_other_options_build_again(community: Path) -> None:
    quick(community)
    assert not quick(community, base_url="/elsewhere/").unchanged
    assert not quick(community, drafts=True).unchanged


def test_clean_builds_everything_again(community: Path) -> None:
    quick(community)
    assert not quick(community, clean=True).unchanged


def test_without_the_cache_every_build_is_a_full_one(community: Path) -> None:
    build(community, search=False, jobs=1)
    assert not build(community, search=False, jobs=1).unchanged


def test_a_failed_build_is_not_remembered_as_done(community: Path) -> None:
    quick(community)
    path = community / "content" / "members" / "broken.md"
    path.write_text("---\nname: [broken\n---\n", encoding="utf-8")
    with pytest.raises(Exception):
        quick(community)
    path.write_text(path.read_text(encoding="utf-8").replace("broken", "still broken"), encoding="utf-8")
    with pytest.raises(Exception):  # still checked, not skipped on the strength of the first failure
        quick(community)
    path.unlink()  # exactly the inputs of the last good build again
    assert quick(community).unchanged


def test_a_file_replaced_by_one_of_the_same_size_and_time_builds_again(community: Path) -> None:
    quick(community)
    path = community / "content" / "members" / "ada.md"
    times = os.stat(path)
    path.write_text(path.read_text(encoding="utf-8").replace("Bio of", "Bio by"), encoding="utf-8")
    os.utime(path, ns=(times.st_atime_ns, times.st_mtime_ns))  # as `cp -p` or `touch -r` leave it
    assert os.stat(path).st_size == times.st_size
    assert not quick(community).unchanged
    assert "Bio by" in (community / "site" / "members" / "ada" / "index.html").read_text(encoding="utf-8")


def test_a_scan_waits_until_a_save_in_its_tick_of_the_clock_would_get_a_later_time(community: Path) -> None:
    cache = community / CACHE_DIR
    now = file_system_now(cache)
    assert now is not None
    # Saved in the very tick the scan reads the clock in, on a clock that ticks every 0.3 s: a save
    # made after the scan in that tick would keep these times, so the build must not read before it ends.
    tick = now + 300_000_000
    os.utime(community / "content" / "members" / "ada.md", ns=(tick, tick))
    scan(community, {})
    after = file_system_now(cache)
    assert after is not None and after > tick


def test_a_file_dated_far_ahead_is_not_waited_for(community: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.uptodate as uptodate

    cache = community / CACHE_DIR
    now = file_system_now(cache)
    assert now is not None
    ahead = now + 3600 * 10**9  # a skewed clock's hour: any save now gets an earlier time than this
    os.utime(community / "content" / "members" / "ada.md", ns=(ahead, ahead))
    changed = max(p.stat().st_ctime_ns for p in (community / "content").rglob("*"))
    deadline = time.monotonic() + 5
    while (file_system_now(cache) or 0) <= changed and time.monotonic() < deadline:
        pass  # until every file's change time (just now) is in the clock's past
    assert (file_system_now(cache) or 0) > changed
    waits: list[float] = []
    monkeypatch.setattr(uptodate.time, "sleep", waits.append)
    scan(community, {})
    assert waits == []


def test_the_command_says_nothing_changed(community: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["build", "--source", str(community)]).exit_code == 0
    result = runner.invoke(cli, ["build", "--source", str(community)])
    assert result.exit_code == 0, result.output
    assert "nothing changed since the last build" in result.output
    assert "built 2 members" in runner.invoke(cli, ["build", "--source", str(community), "--clean"]).output


def test_a_loop_of_links_in_content_does_not_hang_the_check(community: Path) -> None:
    for name in ("loop", "again"):  # two links back: walked blindly, 2^40 folders before the kernel says ELOOP
        (community / "content" / name).symlink_to(community / "content", target_is_directory=True)
    digest = inputs_digest(community, {})
    assert digest == inputs_digest(community, {})
    (community / "content" / "members" / "ada.md").write_text(profile("Ada L."), encoding="utf-8")
    assert inputs_digest(community, {}) != digest


def test_every_declared_requirement_s_version_is_part_of_the_stamp() -> None:
    from generator.uptodate import libraries

    assert {"pymdown-extensions", "mdx_truly_sane_lists", "pyyaml", "networkx", "jinja2", "markupsafe"} \
        <= set(libraries())


def test_a_file_dropped_into_the_site_by_hand_at_its_top_builds_again(community: Path) -> None:
    quick(community)
    (community / "site" / "stray.html").write_text("by hand", encoding="utf-8")
    again = quick(community)
    assert not again.unchanged and not (community / "site" / "stray.html").exists()


def test_the_build_command_with_nothing_changed_does_not_load_the_rendering_code(community: Path) -> None:
    """What makes `connectory build` with nothing to do take a third of a second instead of two
    thirds: the command stops before importing the rendering, the network and Pagefind's client."""
    import subprocess
    import sys

    quick(community)
    script = ("import sys; from pathlib import Path; from generator.build import build; "
              "s = build(Path(sys.argv[1]), search=False, cache=True, jobs=1); "
              "print(s.unchanged, sorted(m for m in ('generator.render', 'generator.incremental', "
              "'generator.search', 'networkx', 'jinja2', 'markdown') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", script, str(community)], capture_output=True, text=True, check=True)
    assert done.stdout.split("\n")[0] == "True []"
