"""An interrupted build leaves the previous site exactly as it was, or the whole new one.

`connectory build` runs in a subprocess over a community whose previous site is in place; it
is killed with SIGKILL (its Pagefind child too) after a delay drawn from a fixed seed, at any
point from start-up to the swap. Afterwards the output folder holds, byte for byte, either the
previous site or the complete new one (builds are deterministic, so "complete" is a hash).
A second test kills the writer exactly between the renames of the portable swap, the one
moment the output folder is missing, and shows the next build puts the previous site back.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from hostile_helpers import hostile_community

RUNS = 6
SEED = 20261125


def tree_hash(folder: Path) -> str:
    """One hash over every file's relative path and bytes (and every folder's name)."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        if path.is_file():
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def build_command(source: Path, out: Path) -> list[str]:
    return [sys.executable, "-c", "from generator.cli import main; main()", "build", "--source", str(source),
            "--out", str(out)]


def edit_bio(source: Path) -> None:
    """A change that shows on several pages and in the search index."""
    ada = source / "content" / "members" / "ada-lovelace.md"
    ada.write_text(ada.read_text(encoding="utf-8") + "\nShe also translated Menabrea's paper.\n", encoding="utf-8")


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A community with its previous site built, the edited community, and the hashes and
    duration of a full build of each."""
    root = tmp_path_factory.mktemp("interrupted")
    source = hostile_community(root / "community", [])
    previous = root / "previous"
    subprocess.run(build_command(source, previous), check=True, capture_output=True)
    edit_bio(source)
    complete = root / "complete"
    started = time.perf_counter()
    subprocess.run(build_command(source, complete), check=True, capture_output=True)
    seconds = time.perf_counter() - started
    old, new = tree_hash(previous), tree_hash(complete)
    assert old != new
    return {"root": root, "source": source, "previous": previous, "old": old, "new": new, "seconds": seconds}


def kill_after(command: list[str], delay: float) -> None:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(delay)
    try:
        os.killpg(process.pid, signal.SIGKILL)  # the build and its Pagefind child alike
    except ProcessLookupError:
        pass  # it had finished
    process.wait()


@pytest.mark.parametrize("run", range(RUNS))
def test_a_build_killed_at_a_random_point_leaves_the_old_site_or_the_whole_new_one(sites, run):
    out = sites["root"] / f"site-{run}"
    shutil.copytree(sites["previous"], out)
    # Spread the kills over the whole build, start-up included, and a little past its end.
    delay = random.Random(SEED + run).uniform(0.05, 1.1) * sites["seconds"]
    kill_after(build_command(sites["source"], out), delay)
    assert out.is_dir(), f"no site at the output path after a kill at {delay:.2f} s"
    assert tree_hash(out) in (sites["old"], sites["new"]), f"a half-written site after a kill at {delay:.2f} s"


# The writer in a child process, killed the moment the previous site has been renamed aside:
# the portable swap's one window (Linux swaps both folders in one atomic call and has none).
KILL_BETWEEN_RENAMES = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from generator import writer

    out = Path(sys.argv[1]).absolute()
    writer._exchange = lambda a, b: False  # take the portable path
    rename = os.rename

    def rename_then_die(src, dst):
        rename(src, dst)
        if Path(src) == out:
            os.kill(os.getpid(), signal.SIGKILL)

    writer.os.rename = rename_then_die
    writer.write_site([("index.html", b"new")], out)
""")


def test_a_build_killed_between_the_renames_has_the_previous_site_put_back_by_the_next(sites, tmp_path):
    out = tmp_path / "site"
    shutil.copytree(sites["previous"], out)
    subprocess.run([sys.executable, "-c", KILL_BETWEEN_RENAMES, str(out)], check=False, capture_output=True)
    assert not out.exists()  # the window this test is about
    broken = hostile_community(tmp_path / "broken", [])
    (broken / "content" / "members" / "nobody.md").write_text("no front matter\n", encoding="utf-8")
    result = subprocess.run(build_command(broken, out), capture_output=True)
    assert result.returncode == 1  # even a build that fails its check puts the previous site back first
    assert tree_hash(out) == sites["old"]


def test_on_linux_the_swap_has_no_moment_without_a_site(tmp_path):
    from generator.writer import _exchange

    if sys.platform != "linux":
        pytest.skip("renameat2 is Linux's")
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "which").write_text("a")
    (b / "which").write_text("b")
    assert _exchange(a, b)
    assert ((a / "which").read_text(), (b / "which").read_text()) == ("b", "a")


@pytest.mark.parametrize("run", range(RUNS))
def test_an_incremental_build_killed_at_a_random_point_leaves_the_old_site_the_new_one_or_a_journal_to_finish(
        sites, tmp_path, run):
    """An edited bio is an incremental build, which updates the site in place (update.py): killed
    before its commit point the site is the old one, after it the new one or, while files were
    moving in, a journal that the next build finishes first."""
    from generator.update import journal_path

    source = tmp_path / "community"
    shutil.copytree(sites["source"], source)
    ada = source / "content" / "members" / "ada-lovelace.md"
    edited = ada.read_text(encoding="utf-8")
    ada.write_text(edited.replace("\nShe also translated Menabrea's paper.\n", ""), encoding="utf-8")
    out = tmp_path / "site"
    subprocess.run(build_command(source, out), check=True, capture_output=True)
    assert tree_hash(out) == sites["old"]
    ada.write_text(edited, encoding="utf-8")
    delay = random.Random(SEED + run).uniform(0.3, 1.5)  # start-up, check, render, commit, and past the end
    kill_after(build_command(source, out), delay)
    state = tree_hash(out)
    assert state in (sites["old"], sites["new"]) or journal_path(out).exists(), f"a mixed site after {delay:.2f} s"
    finished = subprocess.run(build_command(source, out), capture_output=True, text=True)
    assert finished.returncode == 0, finished.stderr
    assert tree_hash(out) == sites["new"] and not journal_path(out).exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site.")] == []  # no stage left behind
