"""A rebuild with nothing changed does nothing: the last build's inputs, compared before any work.

Why: `connectory build` runs on every merged pull request and `serve` rebuilds on every save;
at 10,000 members a full build takes tens of seconds, while telling that nothing changed takes
a tenth of one. Like make, and like Hugo's server, the comparison reads the file system's
records rather than the files: for every file under content/, the community's themes/ and the
default theme, its path, size and modification time (to the nanosecond). With them go the
generator's own code and the versions of the libraries that shape output (`code_digest`), the
Pagefind binary, and the build's options. Any difference, in any of them, means a full build.

The output must also be the very folder that build wrote: every build swaps in a new folder
(writer.py), so its device and inode number name it. Deleting or replacing site/ is noticed;
editing a file inside it by hand is not (as with make): `connectory build --clean` builds
everything again.

The stamp lives in the cache folder (<source>/.connectory-cache/, git-ignored), one per output
folder, and is written only after a build succeeded, with the inputs as they were when that
build started: a file saved during a build makes the next one a full build.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Mapping

CACHE_DIR = ".connectory-cache"  # beside content/, git-ignored
LIBRARIES = ("jinja2", "markupsafe", "markdown", "nh3", "pagefind", "pagefind-bin")
PACKAGE = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def code_digest() -> bytes:
    """The generator's own sources and the output-shaping libraries' versions."""
    h = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".json") and "__pycache__" not in path.parts:
            h.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for name in LIBRARIES:
        try:
            h.update(f"{name}=={version(name)}\0".encode())
        except PackageNotFoundError:
            h.update(f"{name} missing\0".encode())
    return h.digest()


def _walk(folder: Path, h: Any) -> None:
    """Every file under folder (symlinks followed to their targets' records), in a fixed order.

    A folder reached twice (a link back to a parent, two links to one place) is walked once:
    a loop of links must not make the check run forever."""
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
        for entry in reversed(ordered):
            try:
                if entry.is_dir():
                    stack.append(Path(entry.path))
                    continue
                st = entry.stat()
                record = f"{entry.path}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ino}\n"
            except OSError:
                record = f"?{entry.path}\n"
            h.update(record.encode("utf-8", "surrogateescape"))


def inputs_digest(source: Path, options: Mapping[str, Any], *, extra: tuple[Path, ...] = ()) -> str:
    """A digest of everything a build of `source` reads, and of how it was asked to build."""
    from .theme import THEMES_DIR, default_theme_dir  # light: no templates are loaded

    h = hashlib.sha256(code_digest())
    h.update(json.dumps(options, sort_keys=True, default=str).encode())
    for folder in (source / "content", source / THEMES_DIR, default_theme_dir(), *extra):
        h.update(f"#{folder.resolve()}\n".encode("utf-8", "surrogateescape"))
        if folder.is_dir():
            _walk(folder.resolve(), h)
    return h.hexdigest()


@dataclass(frozen=True)
class Stamp:
    """What the last successful build into one output folder started from, and what it made."""

    inputs: str
    folder: tuple[int, int]  # (device, inode) of the output folder it swapped in
    members: int
    pages: int
    files: int
    warnings: int


def _stamp_path(cache: Path, out: Path) -> Path:
    name = hashlib.sha256(os.fsencode(out.absolute())).hexdigest()[:16]
    return cache / f"last-build-{name}.json"


def _folder_id(out: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(out)
    except OSError:
        return None
    return (st.st_dev, st.st_ino) if os.path.isdir(out) else None


def unchanged(cache: Path, out: Path, inputs: str) -> Stamp | None:
    """The last build's stamp when its inputs equal `inputs` and its output folder is still there."""
    try:
        data = json.loads(_stamp_path(cache, out).read_text(encoding="utf-8"))
        stamp = Stamp(**{**data, "folder": tuple(data["folder"])})
    except (OSError, ValueError, TypeError, KeyError):
        return None
    if stamp.inputs != inputs or _folder_id(out) != stamp.folder:
        return None
    return stamp


def record(cache: Path, out: Path, inputs: str, *, members: int, pages: int, files: int, warnings: int) -> None:
    """Remember a successful build (written whole, then renamed: a half-written stamp never matches)."""
    folder = _folder_id(out)
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
