"""The module that writes the site: into a fresh folder beside the output, swapped in whole
(an incremental build of the same folder updates it in place instead, with these helpers: update.py).

Nothing touches the output folder until every page is written and the search index is built
(the `finish` step). The render workers write the member and topic pages they make straight into
the new folder (`FolderWriter`, run in the worker) and pass on only the paths (`Written`), so the
pages are neither sent to this process nor written one by one here; every path, written here or
there, still goes through `write_outputs`, which refuses a duplicate before the swap. Then the two folders are swapped and the old one deleted: a failed or
interrupted build leaves the previous site exactly as it was, and a visitor's server never
sees half of one build and half of another.

On Linux the swap is one atomic call (renameat2 with RENAME_EXCHANGE), so there is no moment
without a site. Elsewhere (or on a file system that cannot exchange) the old folder is renamed
aside and the new one renamed in: a build killed between those two renames leaves no site at
the output path, and the next build, or `recover`, renames the previous one back first.

Once out of the way, the previous site is deleted on a few threads (`remove_tree`: deleting
~33,000 files of a 10,000-member site is mostly waiting on the disk), by default before
`write_site` returns; with `discard=trash.put` (`Trash`), on a thread of its own while the
caller reports, and waited for when the `with Trash()` block ends. Either way only a folder
that is no longer the site is ever half deleted.
"""

from __future__ import annotations

import ctypes
import errno
import glob
import hashlib
import os
import shutil
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .errors import ConnectoryError

Output = tuple[str, bytes]
Written = tuple[str, None]  # a file the process that rendered it has already written (FolderWriter)
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
# Into a folder that also holds links to the previous site's files, a file is only ever created:
# opening a linked one to overwrite it would change the previous site too.
_CREATE_NEW = (_CREATE & ~os.O_TRUNC) | os.O_EXCL


class DuplicateOutput(ConnectoryError):
    """Two pages would be written to one file (Pelican's "File is to be overwritten" error)."""

    def __init__(self, path: str) -> None:
        super().__init__(f"two pages would be written to {path}: rename one of them "
                         "(a page in content/pages/ may have the name of a built-in section)")
        self.path = path


def _safe_relative(path: str) -> str:
    """The path itself, once it is known to name a file inside the folder (plain string checks:
    this runs for every file of the site)."""
    if not path or path[0] == "/" or "\\" in path or "\0" in path \
            or any(part in ("", ".", "..") for part in path.split("/")):
        raise ConnectoryError(f"refusing to write outside the output folder: {path!r}")
    return path


def _write(folder: str, path: str, data: bytes, made: set[str], flags: int = _CREATE) -> None:
    """One file, its folder made first if this process has not made it yet (one mkdir per folder,
    not one per file and level); plain os calls, since tens of thousands of files add up."""
    _make_parent(folder, path, made)
    write_file(f"{folder}/{path}", data, flags)


def _make_parent(folder: str, path: str, made: set[str]) -> None:
    parent = path.rpartition("/")[0]
    if parent and parent not in made:
        try:
            os.mkdir(f"{folder}/{parent}", 0o777)
        except FileExistsError:
            pass  # made by another process (or an earlier chunk)
        except FileNotFoundError:
            os.makedirs(f"{folder}/{parent}", 0o777, exist_ok=True)
        made.add(parent)


def write_file(path: str, data: bytes, flags: int = _CREATE) -> None:
    """Create (or truncate) one file and write all of data with bare system calls: over tens of
    thousands of files, about twice as fast as Path.write_bytes."""
    fd = os.open(path, flags, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


@dataclass(frozen=True)
class FolderWriter:
    """Writes outputs into the new site's folder from the process that rendered them (a render
    worker, parallel.py's `then`), and returns their paths for write_outputs to check and count."""

    folder: str
    # An incremental build's previous site: keep() links its unchanged files into the new folder
    # (hard links: nothing is copied, and the previous site stays as it was until the swap).
    previous: str | None = None
    # An incremental build that updates the site in place (update.py): the kept files stay where
    # they are, and keep() only names them.
    in_place: bool = False

    def __call__(self, outputs: list[Output]) -> list[Written]:
        for path, _ in outputs:
            _safe_relative(path)  # every path of the chunk before any of its files
        made: set[str] = set()
        flags = _CREATE if self.previous is None else _CREATE_NEW
        for path, data in outputs:
            _write(self.folder, path, data, made, flags)
        return [(path, None) for path, _ in outputs]

    def keep(self, paths: Iterable[str]) -> list[Written]:
        """The previous site's files at these paths, linked into the new folder unchanged."""
        if self.in_place:
            return [(_safe_relative(path), None) for path in paths]
        if self.previous is None:
            raise ConnectoryError("nothing to keep: this build has no previous site")
        made: set[str] = set()
        kept: list[Written] = []
        for path in paths:
            _make_parent(self.folder, _safe_relative(path), made)
            os.link(f"{self.previous}/{path}", f"{self.folder}/{path}", follow_symlinks=False)
            kept.append((path, None))
        return kept


def write_outputs(outputs: Iterable[Output | Written], folder: Path, paths: set[str] | None = None) -> int:
    """Write every output under folder (a Written one is there already); two outputs on one path
    (even differing only in case) are an error. `paths`, when given, receives every output's path."""
    seen: set[str] = set()
    made: set[str] = set()
    root = os.fspath(folder)
    count = 0
    for path, data in outputs:
        _safe_relative(path)
        key = path.casefold()  # one file on case-insensitive disks (macOS, Windows)
        if key in seen:
            raise DuplicateOutput(path)
        seen.add(key)
        if data is not None:
            _write(root, path, data, made)
        if paths is not None:
            paths.add(path)
        count += 1
    return count


@contextmanager
def filling(folder: Path, outputs: Iterable[Output | Written] | Callable[[Path], Iterable[Output | Written]],
            paths: set[str] | None = None, mode: int | None = None) -> Iterator[int]:
    """Write the outputs into a new folder (write_outputs) and give their count; if that or the
    rest of the `with` block fails, Ctrl-C included, close the outputs, then delete the folder.

    Closing first stops any worker still writing into it (parallel.ordered_map), so nothing
    reappears after. `outputs` may be a function of the folder (renderers that write there themselves)."""
    stream: Iterable[Output | Written] = ()
    try:
        if mode is not None:
            os.chmod(folder, mode)
        stream = outputs(folder) if callable(outputs) else outputs
        yield write_outputs(stream, folder, paths)
    except BaseException:
        try:
            close = getattr(stream, "close", None)
            if close is not None:
                close()
        finally:
            remove_tree(folder)
        raise


def write_site(outputs: Iterable[Output | Written] | Callable[[Path], Iterable[Output | Written]], out: Path,
               finish: Callable[[Path], None] | None = None,
               discard: Callable[[Path], None] | None = None, paths: set[str] | None = None) -> int:
    """Write outputs into a temporary folder beside `out`, run `finish` on it, then swap it in; returns files written.

    `outputs` may be a function of that folder, for renderers that write there themselves
    (FolderWriter). Whatever fails, the outputs are closed before the folder is deleted: that
    stops any worker still writing into it (parallel.ordered_map), so nothing reappears after.
    `discard` gets the previous site's folder once it is no longer at `out` (default: remove_tree)."""
    out = out.absolute()
    recover(out)
    if out.exists() and not out.is_dir():
        raise ConnectoryError(f"{out} exists and is not a folder; choose another --out")
    out.parent.mkdir(parents=True, exist_ok=True)
    new = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    # mode: mkdtemp makes the folder private; a site is for a web server to read
    with filling(new, outputs, paths, mode=0o755) as count:
        if finish is not None:
            finish(new)
        old = _swap(new, out)
    if old is not None:
        (discard or remove_tree)(old)
    return count


def remove_tree(folder: Path, threads: int = 4, depth: int = 3) -> None:
    """Delete a folder and everything in it, ignoring errors, on a few threads.

    Deleting is mostly waiting on the file system's journal and the calls release the GIL, so
    four threads take a third to a half of one's time. The work is split at `depth` levels down
    (a member's files in site/members/ada/, or in .site.old-x/site/members/ada/ put aside),
    in batches so that 30,000 files are not 30,000 tasks."""
    level, files = [os.fspath(folder)], []
    for _ in range(depth):
        below: list[str] = []
        for path in level:
            try:
                with os.scandir(path) as entries:
                    for entry in entries:
                        (below if entry.is_dir(follow_symlinks=False) else files).append(entry.path)
            except OSError:
                pass  # gone already, or not a folder: rmtree below says nothing either way
        level = below
    tasks = [(path, False) for path in files] + [(path, True) for path in level]
    if len(tasks) > 1:
        batch = max(1, len(tasks) // (threads * 16))
        with ThreadPoolExecutor(threads) as pool:
            for _ in pool.map(_remove, (tasks[i:i + batch] for i in range(0, len(tasks), batch))):
                pass
    shutil.rmtree(folder, ignore_errors=True)  # what is left: the folders above `depth`, now empty


def _remove(entries: list[tuple[str, bool]]) -> None:
    for path, folder in entries:
        if folder:
            shutil.rmtree(path, ignore_errors=True)
            continue
        try:
            os.unlink(path)
        except OSError:
            pass


class Trash:
    """Deletes previous sites on a thread of their own, so a build can report without waiting for
    it; `wait()` (or leaving a `with` block) returns once they are gone. The threads are not
    daemons: the interpreter waits for them before exiting too, so only a killed process leaves a
    half-deleted folder, and never the site."""

    def __init__(self) -> None:
        self._threads: list[threading.Thread] = []

    def put(self, folder: Path) -> None:
        thread = threading.Thread(target=remove_tree, args=(folder,), name=f"delete {folder.name}")
        thread.start()
        self._threads.append(thread)

    def wait(self) -> None:
        for thread in self._threads:
            thread.join()

    def __enter__(self) -> "Trash":
        return self

    def __exit__(self, *_: object) -> None:
        self.wait()


def recover(out: Path) -> bool:
    """Put the previous site back at `out` if a build died between the two renames of the portable
    swap (nothing at `out`, the previous site still aside); True when it did. First, finish an
    in-place update that died after its commit point (update.py)."""
    from .update import finish_update  # it writes with this module's helpers

    out = out.absolute()
    finish_update(out)  # an in-place update that died after its commit point: completed first
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


def _swap(new: Path, out: Path) -> Path | None:
    """Swap the new site in: atomically where the system can, else rename the old aside and the new
    in, undoing the first step if the second fails. Returns the folder the previous site is now in
    (None when there was none), for the caller to delete."""
    if not out.exists():
        os.rename(new, out)
        return None
    if _exchange(new, out):
        return new  # now the previous site
    aside = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    old = aside / out.name
    os.rename(out, old)
    try:
        os.rename(new, out)
    except BaseException:
        os.rename(old, out)
        shutil.rmtree(aside, ignore_errors=True)
        raise
    return aside


def link_tree(source: Path, target: Path) -> int:
    """Hard-link every file under source into the same place under target (made here); the count."""
    count = 0
    for folder, _, names in os.walk(source):
        here = Path(folder)
        into = target / here.relative_to(source)
        into.mkdir(parents=True, exist_ok=True)
        for name in sorted(names):
            os.link(here / name, into / name, follow_symlinks=False)
            count += 1
    return count


@contextmanager
def one_build(out: Path, cache: Path) -> Iterator[None]:
    """Hold the lock of builds into `out` (a file in the cache folder), then clear what builds into
    it that were killed left beside it: the new folders they were writing, search index stages,
    an in-place update's stage (its journal's, if any, is finished first: recover).

    A second build into the same folder while one runs stops with a clear error rather than
    racing it. Without fcntl (Windows) there is no lock and nothing is cleared."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    out = out.absolute()
    cache.mkdir(parents=True, exist_ok=True)
    name = hashlib.sha256(os.fsencode(out)).hexdigest()[:16]
    fd = os.open(cache / f"lock-{name}", os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ConnectoryError(f"another build is writing {out} right now; wait for it to finish") from None
        recover(out)
        if out.parent.is_dir():
            for prefix in ("new", "search", "stage"):
                for left in out.parent.glob(f".{glob.escape(out.name)}.{prefix}-*"):
                    remove_tree(left)
        yield
    finally:
        os.close(fd)  # releases the lock
