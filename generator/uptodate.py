"""A rebuild with nothing changed does nothing: the last build's inputs, compared before any work.

Why: `connectory build` runs on every merged pull request and `serve` rebuilds on every save;
at 10,000 members a full build takes tens of seconds, while telling that nothing changed takes
a tenth of one. Like make, and like Hugo's server, the comparison reads the file system's
records rather than the files: for every file under content/, the community's themes/ and the
default theme, its path, size and modification time (to the nanosecond). With them go the
generator's own code and the versions of the libraries that shape output (`code_digest`), the
Pagefind binary, and the build's options. Any difference, in any of them, means a full build.

The output must also be the very folder that build wrote: every build swaps in a new folder
(writer.py), so its device, inode number and change time name it (the time too, because file
systems give a deleted folder's number to a new one). Deleting or replacing site/, or adding or
removing a file at its top, is noticed; editing a file inside it by hand is not (as with make):
`connectory build --clean` builds everything again.

The stamp lives in the cache folder (<source>/.connectory-cache/, git-ignored), one per output
folder, and is written only after a build succeeded, with the inputs as they were when that
build started: a file saved during a build makes the next one a full build.

A file's record holds its change time (ctime) too: a file replaced by another of the same size
with its old modification time kept (`cp -p`, `touch -r`) still counts as changed.

One save could still hide: a file saved again within the same tick of the file system's clock
as the save the scan saw, at the same size, keeps the recorded times, while the build may have
read either version. (Git knows this as "racily clean".) So when a file's time is not before the
scan began, read from a file the scan touches in the cache folder (the same clock, at the same
granularity, whatever the file system), the scan waits for that clock to move past it before the
build reads anything: a save after the wait gets a later time. A few milliseconds, and only
right after a save.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import time
from dataclasses import asdict, dataclass
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, requires, version
from pathlib import Path
from typing import Any, Mapping

from .locations import THEMES_DIR, default_theme_dir

CACHE_DIR = ".connectory-cache"  # beside content/, git-ignored
# How far ahead of the scan a file's time may be and still be waited for: past FAT's 2-second tick,
# the coarsest in use; a file dated further ahead is from a skewed clock, and a save would change its time.
SETTLE_NS = 2_500_000_000
# Shape output without being named in pyproject.toml (dependencies of our dependencies, or the
# binary wheel the `pagefind[bin]` extra installs); the declared requirements are read from the
# installed distribution, so a new one is never forgotten here.
INDIRECT = ("markupsafe", "pagefind-bin")
PACKAGE = Path(__file__).resolve().parent


def libraries() -> list[str]:
    """The distributions whose versions can change a build's output: every requirement of the
    installed connectory (test extras aside) and the indirect ones above."""
    try:
        declared = requires("connectory") or []
    except PackageNotFoundError:  # run from a source tree that was never installed
        declared = []
    names = {re.split(r"[\s\[<>=!~;]", line, maxsplit=1)[0].lower() for line in declared if "extra ==" not in line}
    return sorted(names | set(INDIRECT))


@lru_cache(maxsize=1)
def code_digest() -> bytes:
    """The generator's own sources, the Python it runs on and the output-shaping libraries' versions."""
    h = hashlib.sha256(f"{sys.version}\0".encode())
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".json") and "__pycache__" not in path.parts:
            h.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for name in libraries():
        try:
            h.update(f"{name}=={version(name)}\0".encode())
        except PackageNotFoundError:
            h.update(f"{name} missing\0".encode())
    return h.digest()


def _binary_record() -> str:
    """The Pagefind binary a build would run: its path, size and time (a new one at the same path counts)."""
    from pagefind.service import get_executable

    binary = get_executable()
    try:
        st = os.stat(binary) if binary is not None else None
    except OSError:
        st = None
    return f"{binary}\0{st.st_size}\0{st.st_mtime_ns}" if st else f"{binary}\0missing"


def file_system_now(cache: Path) -> int | None:
    """The file system's clock as it stamps files (ns): the time of a file touched in `cache` now;
    None when the folder cannot be written (then no stamp can be written either)."""
    clock = cache / "clock"
    try:
        cache.mkdir(parents=True, exist_ok=True)
        clock.touch()
        return clock.stat().st_mtime_ns
    except OSError:
        return None


def _wait_past(cache: Path, stamp: int) -> None:
    """Wait until the file system's clock is past `stamp`, so a save from now on gets a later time;
    at most SETTLE_NS of real time, so a clock set back cannot hold the build."""
    deadline = time.monotonic() + SETTLE_NS / 1e9
    while (now := file_system_now(cache)) is not None and now <= stamp and time.monotonic() < deadline:
        time.sleep(0.001)


def _walk(folder: Path, h: Any, profiles: dict[str, str] | None = None, began: int | None = None) -> int:
    """Every file under folder (symlinks followed to their targets' records), in a fixed order;
    returns the latest time (ns) a file changed at, from `began` to SETTLE_NS after it (0 if none).

    A folder reached twice (a link back to a parent, two links to one place) is walked once:
    a loop of links must not make the check run forever. With `profiles`, the records of the
    profile files (content/members/*.md) go there, by file name, instead of into h."""
    racy = 0
    stack = [folder]
    seen: set[tuple[int, int]] = set()
    while stack:
        current = stack.pop()
        try:
            st = os.stat(current)
            if (st.st_dev, st.st_ino) in seen:
                h.update(f"={current}\n".encode("utf-8", "surrogateescape"))
                continue
            seen.add((st.st_dev, st.st_ino))
            with os.scandir(current) as entries:
                ordered = sorted(entries, key=lambda e: e.name)
        except OSError:
            h.update(f"!{current}\n".encode("utf-8", "surrogateescape"))
            continue
        mine = profiles if profiles is not None and current.name == "members" and current.parent == folder else None
        for entry in reversed(ordered):
            try:
                if entry.is_dir():
                    stack.append(Path(entry.path))
                    continue
                st = entry.stat()
                changed = max(st.st_mtime_ns, st.st_ctime_ns)
                if began is not None and began <= changed <= began + SETTLE_NS:
                    racy = max(racy, changed)
                record = f"{entry.path}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0{st.st_ino}\n"
            except OSError:
                record = f"?{entry.path}\n"
            if mine is not None and entry.name.endswith(".md") and not record.startswith("?"):
                mine[entry.name] = record
                continue
            h.update(record.encode("utf-8", "surrogateescape"))
    return racy


def inputs_digest(source: Path, options: Mapping[str, Any], *, extra: tuple[Path, ...] = ()) -> str:
    """A digest of everything a build of `source` reads, and of how it was asked to build."""
    return scan(source, options, extra=extra).inputs


@dataclass(frozen=True)
class Scan:
    """A build's inputs, split for the incremental build (incremental.py): the profiles' records
    apart, everything else (code, options but the output folder, themes, the rest of content/) in one digest."""

    rest: str
    profiles: Mapping[str, str]  # file name in content/members/ -> its record (path, size, time, inode)
    out: str  # the output folder option

    @property
    def inputs(self) -> str:
        """The digest of all of it, the stamp's."""
        h = hashlib.sha256(f"{self.rest}\0{self.out}\0".encode("utf-8", "surrogateescape"))
        for name in sorted(self.profiles):
            h.update(self.profiles[name].encode("utf-8", "surrogateescape"))
        return h.hexdigest()


def scan(source: Path, options: Mapping[str, Any], *, extra: tuple[Path, ...] = ()) -> Scan:
    """Everything a build of `source` reads, and how it was asked to build, as records and digests."""
    began = file_system_now(source / CACHE_DIR)
    racy = 0
    h = hashlib.sha256(code_digest())
    h.update(json.dumps({k: v for k, v in options.items() if k != "out"}, sort_keys=True, default=str).encode())
    h.update(_binary_record().encode("utf-8", "surrogateescape"))
    profiles: dict[str, str] = {}
    for folder in (source / "content", source / THEMES_DIR, default_theme_dir(), *extra):
        h.update(f"#{folder.resolve()}\n".encode("utf-8", "surrogateescape"))
        if folder.is_dir():
            racy = max(racy, _walk(folder.resolve(), h, profiles if folder == source / "content" else None, began))
    if racy:  # a file saved in the scan's tick of the clock, or since
        _wait_past(source / CACHE_DIR, racy)
    return Scan(h.hexdigest(), profiles, str(options.get("out", "")))


@dataclass(frozen=True)
class Stamp:
    """What the last successful build into one output folder started from, and what it made."""

    inputs: str
    folder: tuple[int, int, int]  # (device, inode, ctime) of the output folder it swapped in
    members: int
    pages: int
    files: int
    warnings: int


def _stamp_path(cache: Path, out: Path) -> Path:
    name = hashlib.sha256(os.fsencode(out.absolute())).hexdigest()[:16]
    return cache / f"last-build-{name}.json"


def folder_id(out: Path) -> tuple[int, int, int] | None:
    """The output folder's identity: its inode number, and its change time, as file systems reuse
    the numbers of deleted folders (the rename that put it in place set the time)."""
    try:
        st = os.stat(out)
    except OSError:
        return None
    return (st.st_dev, st.st_ino, st.st_ctime_ns) if os.path.isdir(out) else None


def unchanged(cache: Path, out: Path, inputs: str) -> Stamp | None:
    """The last build's stamp when its inputs equal `inputs` and its output folder is still there."""
    try:
        data = json.loads(_stamp_path(cache, out).read_text(encoding="utf-8"))
        stamp = Stamp(**{**data, "folder": tuple(data["folder"])})
    except (OSError, ValueError, TypeError, KeyError):
        return None
    if stamp.inputs != inputs or folder_id(out) != stamp.folder:
        return None
    return stamp


def record(cache: Path, out: Path, inputs: str, *, members: int, pages: int, files: int, warnings: int) -> None:
    """Remember a successful build (written whole, then renamed: a half-written stamp never matches)."""
    folder = folder_id(out)
    if folder is None:
        return
    stamp = Stamp(inputs, folder, members, pages, files, warnings)
    path = _stamp_path(cache, out)
    try:
        cache.mkdir(parents=True, exist_ok=True)
        part = path.with_suffix(f".{os.getpid()}.part")
        part.write_text(json.dumps(asdict(stamp)), encoding="utf-8")
        os.replace(part, path)
    except OSError:
        pass  # no stamp only means the next build is a full one


def forget(cache: Path, out: Path) -> None:
    """Drop the stamp of `out`, so the next build is a full one."""
    try:
        _stamp_path(cache, out).unlink()
    except OSError:
        pass
