"""`connectory serve`: build, serve the result, watch the sources, rebuild, reload the browser.

Four threads, one owner (`Preview`):
- the caller's thread builds once, then waits (Ctrl-C lands there);
- the HTTP server thread answers requests from the current `Snapshot` (serve_http.py);
- the watcher thread waits for changes under content/ and themes/ and rebuilds, reusing
  the whole site (into a new folder, swapped in for the server once complete);
- the indexer thread brings the search index up to the newest pages (serve_search.py).

Watching uses `watchfiles` rather than polling or a hand-written inotify loop: it is
Rust-backed (inotify / FSEvents / ReadDirectoryChangesW, polling only as a fallback),
groups an editor's write-rename-chmod burst into one batch, and takes a stop event, so
Ctrl-C ends it within one step instead of killing a thread.

The site is built into a temporary folder, never into `site/`: `site/` is what an organiser
publishes, and a preview (maybe with --drafts) must not overwrite it or be mistaken for it.
Each rebuild gets a new folder inside it, removed once no request or index needs it; the
whole temporary folder goes on exit.
"""

from __future__ import annotations

import errno
import queue
import shutil
import signal
import tempfile
import threading
import time
import traceback
import webbrowser
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

import watchfiles

from .build import build as build_site
from .config import load_config
from .content import relative
from .errors import CheckFailed, ConnectoryError, Problem, UsageError, sort_problems
from .render import Links, normalise_base_url
from .report import FORMATS
from .search import pagefind_binary
from .serve_http import LiveState, PreviewServer, Snapshot
from .serve_search import SearchIndexer


@dataclass(frozen=True)
class Built:
    """What a build tells the server: a line for the terminal, and the URL path the site lives at."""

    summary: str
    prefix: str = "/"


# Builds the site into the given (new) folder; raises CheckFailed, or another ConnectoryError,
# when the sources are not good enough to publish.
Build = Callable[[Path], Built]
Log = Callable[[str], None]

WATCHED = ("content", "themes")
STEP_MS = 100  # quiet time that ends a burst of changes
DEBOUNCE_MS = 1_600  # longest a burst is grouped before rebuilding anyway
READY_TIMEOUT_MS = 200  # how soon the watcher first reports "watching" (see _watch)


class EditorFilter(watchfiles.DefaultFilter):
    """watchfiles' defaults (swap files, `~` backups, .git) plus other editors' scratch files."""

    ignore_entity_patterns = (*watchfiles.DefaultFilter.ignore_entity_patterns,
                              r"^#.*#$",  # Emacs auto-save
                              r"^4913$",  # Vim's probe that a folder is writable
                              r"\.tmp$", r"\.crswap$", r"\.kate-swp$", r"^\.goutputstream-",
                              r"^\.~lock\.")  # LibreOffice


def crash_problem(error: BaseException) -> Problem:
    """An unexpected build failure (a theme template error, say) as a Problem for the overlay."""
    if isinstance(error, ConnectoryError):
        return Problem("", 0, 0, "", "build-failed", error.message)
    file = getattr(error, "filename", None) or ""  # Jinja2 template errors carry these
    line = getattr(error, "lineno", None) or 0
    return Problem(str(file), int(line), 0, "", "build-crashed", f"{type(error).__name__}: {error}")


class Preview:
    """A running preview: owns the server, the watcher and indexer threads and the output folders."""

    def __init__(self, source: Path, build: Build, *, search: bool = False, host: str = "127.0.0.1",
                 port: int = 8000, log: Log = print) -> None:
        """`build` makes the pages; with `search`, serve_search.py indexes them once they are shown."""
        self.source = source
        self._build = build
        self._log = log
        self.work = Path()  # made by start(), once the port is ours
        self._folders: list[Path] = []  # good builds still on disk, oldest first
        self._nonce = f"{time.time_ns():x}"  # a restarted server makes old tabs reload too
        self._builds = 0
        self.state = LiveState(Snapshot(None, self._token()))
        self._indexer = SearchIndexer(self.state, log) if search else None
        self._indexing = False  # the indexer thread runs: rebuilds hand it their folders
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._building = threading.Lock()  # the first build and a watcher rebuild never overlap
        self._threads: list[threading.Thread] = []
        self._doomed: queue.SimpleQueue[Path | None] = queue.SimpleQueue()  # old builds to delete
        self._serving = False
        self._address = (host, port)
        self.server: PreviewServer | None = None

    @property
    def out(self) -> Path | None:
        """The folder of the site being served (None until a build passes)."""
        return self.state.current().root

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2] if self.server else self._address
        where = f"[{host}]" if ":" in str(host) else host
        return f"http://{where}:{port}{self.state.current().prefix}"

    def _token(self) -> str:
        return f"{self._nonce}.{self._builds}"

    def start(self) -> str:
        """Bind the port, start watching, build (and index) once, then serve; returns the site's URL."""
        self.server = bind(self._address, self.state)
        self.work = Path(tempfile.mkdtemp(prefix="connectory-serve-"))
        watched = [self.source / name for name in WATCHED if (self.source / name).is_dir()]
        self._spawn(self._watch, watched, name="connectory-watch")
        self._spawn(self._remove, name="connectory-remove")
        self.rebuild()
        if self._indexer is not None:
            if (first := self.state.current().root) is not None:
                self._indexer.index_now(first)  # search works from the first page served
            self._spawn(self._indexer.run, name="connectory-index")
            self._indexing = True
        # Edits made after start() returns must be seen, so wait until watchfiles is watching.
        self._ready.wait(timeout=5)
        self._spawn(self.server.serve_forever, 0.1, name="connectory-http")
        self._serving = True
        return self.url

    def _spawn(self, target: Callable[..., object], *args: object, name: str) -> None:
        thread = threading.Thread(target=target, args=args, name=name)
        self._threads.append(thread)
        thread.start()

    def rebuild(self) -> None:
        """Build into a new folder; publish the new site, or the problems over the old one."""
        with self._building:
            self._rebuild()

    def _rebuild(self) -> None:
        # Each build gets a folder of its own and the server switches to it in one assignment:
        # no request ever sees a folder being swapped.
        started = time.perf_counter()
        self._builds += 1
        folder = self.work / f"site-{self._builds}"
        problems: list[Problem] = []
        try:
            built = self._build(folder)
        except CheckFailed as failed:
            problems = sort_problems(failed.problems)
        except Exception as error:  # a broken template must not stop the preview
            if not isinstance(error, ConnectoryError):
                self._log("".join(traceback.format_exception(error)).rstrip())
            problems = [crash_problem(error)]
        previous = self.state.current()
        if any(p.severity == "error" for p in problems):
            shutil.rmtree(folder, ignore_errors=True)
            self.state.publish(replace(previous, token=self._token(), problems=tuple(problems)))
            self._log(FORMATS["text"](problems))
            shown = "the last good build" if previous.root else "no site until it passes"
            self._log(f"the check failed; serving {shown}")
            return
        self.state.publish(replace(previous, root=folder, token=self._token(), problems=(), prefix=built.prefix))
        self._log(f"built in {time.perf_counter() - started:.2f} s: {built.summary}")
        self._folders.append(folder)
        if self._indexer is not None and self._indexing:
            self._indexer.request(folder)
        self._clean_up(previous.root)

    def _clean_up(self, previous: Path | None) -> None:
        """Hand old builds to the remover: not the one shown, not the one before (requests may still
        be reading it), not the one search answers from, not one being indexed."""
        current = self.state.current()
        keep = {current.root, current.search_root, previous}
        keep |= self._indexer.busy() if self._indexer is not None else set()
        for folder in [f for f in self._folders if f not in keep]:
            self._folders.remove(folder)
            self._doomed.put(folder)

    def _remove(self) -> None:
        """Delete old builds on a thread of their own: tens of thousands of files take seconds,
        which the next save should not wait for."""
        while (folder := self._doomed.get()) is not None:
            shutil.rmtree(folder, ignore_errors=True)

    def _watch(self, paths: list[Path]) -> None:
        # yield_on_timeout: the first (possibly empty) batch proves the watcher is live, which
        # start() waits for; later empty batches are skipped.
        for changes in watchfiles.watch(*paths, watch_filter=EditorFilter(), stop_event=self._stop,
                                        step=STEP_MS, debounce=DEBOUNCE_MS, rust_timeout=READY_TIMEOUT_MS,
                                        yield_on_timeout=True, raise_interrupt=False):
            self._ready.set()
            if changes and not self._stop.is_set():
                names = sorted({relative(Path(path), self.source) for _, path in changes})
                self._log(f"changed: {', '.join(names[:5])}{' …' if len(names) > 5 else ''}")
                self.rebuild()
        self._ready.set()

    def wait(self) -> None:
        """Block until stop() is called or Ctrl-C (KeyboardInterrupt) arrives."""
        while not self._stop.wait(0.5):
            pass

    def stop(self) -> None:
        """Stop watching, indexing and serving, join every thread, and remove the output folders."""
        self._stop.set()
        self._doomed.put(None)  # the remover stops; whatever is left goes with the whole folder
        if self._indexer is not None:
            self._indexer.stop()
        self.state.close()  # releases open reload streams
        if self.server is not None:
            if self._serving:
                self.server.shutdown()
            self.server.close_connections()
            self.server.server_close()  # joins the request threads
        for thread in self._threads:
            thread.join()
        if self.server is not None:
            shutil.rmtree(self.work, ignore_errors=True)


def bind(address: tuple[str, int], state: LiveState) -> PreviewServer:
    """Open the listening socket, turning the usual failures into errors with a way out."""
    host, port = address
    try:
        return PreviewServer(address, state)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise UsageError(f"port {port} on {host} is already in use (another `connectory serve`?); "
                             f"stop it, or pick another port with --port {port + 1}") from None
        if error.errno == errno.EACCES:
            raise UsageError(f"not allowed to listen on port {port}; "
                             "ports below 1024 need privileges: try --port 8000") from None
        raise UsageError(f"cannot listen on {host}:{port}: {error.strerror or error}; "
                         "check --host and --port") from None


def site_build(source: Path, *, drafts: bool = False) -> Build:
    """`connectory build` as a Build: the same pipeline and options, into the folder given, but
    without the search index (serve_search.py makes it after the pages are shown)."""

    last: list[Path] = []  # the folder of the last successful build: the next one renders only what changed

    def run(folder: Path) -> Built:
        stages: dict[str, float] = {}
        done = build_site(source, folder, drafts=drafts, search=False, timings=stages, cache=True,
                          since=last[0] if last and last[0].is_dir() else folder)
        last[:] = [folder]
        # The base URL build() used; a site.yaml saved since is picked up by the rebuild it causes.
        base = normalise_base_url(load_config(source)[0].base_url) or "/"
        spent = ", ".join(f"{stage} {seconds:.1f} s" for stage, seconds in stages.items()) if done.seconds > 2 else ""
        return Built(f"{done.members} members, {done.pages} pages{f' ({spent})' if spent else ''}",
                     Links(base).prefix)

    return run


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def serve(source: Path, *, host: str = "127.0.0.1", port: int = 8000, open_browser: bool = False,
          drafts: bool = False, log: Log = print) -> None:
    """Preview the community in `source` until Ctrl-C."""
    if not (source / "content").is_dir():
        raise UsageError(f"no content/ folder in {source}: point --source at the community folder, "
                         "or create one with `connectory init DIR`")
    pagefind_binary()  # no preview without search: say so before building
    preview = Preview(source, site_build(source, drafts=drafts), search=True, host=host, port=port,
                      log=log)
    previous = _stop_on_sigterm()  # a `kill` (or a closed terminal's supervisor) stops as cleanly as Ctrl-C
    try:
        url = preview.start()
        if host not in LOOPBACK:
            log(f"warning: listening on {host}: anyone who can reach this machine sees the preview"
                f"{', drafts included' if drafts else ''}")
        log(f"serving {url}  (watching content/ and themes/; Ctrl-C to stop)")
        if open_browser:
            webbrowser.open(url)
        preview.wait()
    except KeyboardInterrupt:
        log("stopping")
    finally:
        _uninterrupted(preview.stop)
        if previous is not None:  # the caller's handler back: serve may run inside a longer-lived process
            signal.signal(signal.SIGTERM, previous)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _stop_on_sigterm() -> signal.Handlers | Callable[..., object] | int | None:
    """Make SIGTERM stop like Ctrl-C; returns the handler it replaced (None off the main thread)."""
    if threading.current_thread() is threading.main_thread():
        return signal.signal(signal.SIGTERM, _interrupt)
    return None


def _uninterrupted(action: Callable[[], None]) -> None:
    """Run `action` with Ctrl-C ignored, so a second Ctrl-C cannot leave threads or files behind."""
    if threading.current_thread() is not threading.main_thread():
        action()
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN), signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        action()
    finally:
        signal.signal(signal.SIGINT, previous[0])
        signal.signal(signal.SIGTERM, previous[1])
