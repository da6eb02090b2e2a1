"""The only module that writes the site: into a fresh folder beside the output, swapped in whole.

Nothing touches the output folder until every page is written and the search index is built
(the `finish` step). Then the two folders are swapped and the old one deleted: a failed or
interrupted build leaves the previous site exactly as it was, and a visitor's server never
sees half of one build and half of another.

On Linux the swap is one atomic call (renameat2 with RENAME_EXCHANGE), so there is no moment
without a site. Elsewhere (or on a file system that cannot exchange) the old folder is renamed
aside and the new one renamed in: a build killed between those two renames leaves no site at
the output path, and the next build, or `recover`, renames the previous one back first.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import sys
import tempfile
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable

from .errors import ConnectoryError

Output = tuple[str, bytes]


class DuplicateOutput(ConnectoryError):
    """Two pages would be written to one file (Pelican's "File is to be overwritten" error)."""

    def __init__(self, path: str) -> None:
        super().__init__(f"two pages would be written to {path}: rename one of them "
                         "(a page in content/pages/ may have the name of a built-in section)")
        self.path = path


def _safe_relative(path: str) -> PurePosixPath:
    rel = PurePosixPath(path)
    if not path or rel.is_absolute() or any(part in ("", ".", "..") for part in path.split("/")) or "\\" in path:
        raise ConnectoryError(f"refusing to write outside the output folder: {path!r}")
    return rel


def write_outputs(outputs: Iterable[Output], folder: Path) -> int:
    """Write every output under folder; two outputs on one path (even differing only in case) are an error."""
    seen: set[str] = set()
    count = 0
    for path, data in outputs:
        rel = _safe_relative(path)
        key = path.casefold()  # one file on case-insensitive disks (macOS, Windows)
        if key in seen:
            raise DuplicateOutput(path)
        seen.add(key)
        target = folder.joinpath(*rel.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        count += 1
    return count


def write_site(outputs: Iterable[Output], out: Path, finish: Callable[[Path], None] | None = None) -> int:
    """Write outputs into a temporary folder beside `out`, run `finish` on it, then swap it in; returns files written."""
    out = out.absolute()
    recover(out)
    if out.exists() and not out.is_dir():
        raise ConnectoryError(f"{out} exists and is not a folder; choose another --out")
    out.parent.mkdir(parents=True, exist_ok=True)
    new = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        os.chmod(new, 0o755)  # mkdtemp makes it private; a site is for a web server to read
        count = write_outputs(outputs, new)
        if finish is not None:
            finish(new)
        _swap(new, out)
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise
    return count


def recover(out: Path) -> bool:
    """Put the previous site back at `out` if a build died between the two renames of the portable
    swap (nothing at `out`, the previous site still aside); True when it did."""
    out = out.absolute()
    if out.exists() or out.is_symlink():
        return False
    # Newest aside first: a build killed while deleting an older one can have left that one half gone.
    asides = sorted(out.parent.glob(f".{out.name}.old-*/{out.name}"), key=lambda p: p.parent.stat().st_mtime_ns)
    if not asides:
        return False
    os.rename(asides[-1], out)
    shutil.rmtree(asides[-1].parent, ignore_errors=True)
    return True


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one atomic step (Linux renameat2 RENAME_EXCHANGE); False where unsupported.

    Python has no call for it, and it is one system call: ctypes rather than a dependency.
    """
    if sys.platform != "linux":
        return False
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)  # glibc 2.28+
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EPERM, errno.EOPNOTSUPP):  # the file system or a sandbox says no
        return False
    raise OSError(code, os.strerror(code), str(b))


def _swap(new: Path, out: Path) -> None:
    """Swap the new site in and delete the old: atomically where the system can, else rename the
    old aside and the new in, undoing the first step if the second fails."""
    if not out.exists():
        os.rename(new, out)
        return
    if _exchange(new, out):
        shutil.rmtree(new, ignore_errors=True)  # now the previous site
        return
    aside = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    old = aside / out.name
    os.rename(out, old)
    try:
        os.rename(new, out)
    except BaseException:
        os.rename(old, out)
        shutil.rmtree(aside, ignore_errors=True)
        raise
    shutil.rmtree(aside, ignore_errors=True)
