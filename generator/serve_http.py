"""The preview server's HTTP side: map a request to a file in the output folder, or refuse it.

The standard library's ThreadingHTTPServer carries the connections; this module adds what a
site preview needs and `SimpleHTTPRequestHandler` does not give safely: content types that do
not depend on the machine's /etc/mime.types, no directory listings, the site's own 404 page,
a reload event stream, the error overlay, and a path check that nothing (`..`, encoded
slashes, NUL, symlinks) reaches outside the output folder.
"""

from __future__ import annotations

import re
import socket
import sys
import threading
from dataclasses import dataclass, replace
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from .errors import Problem
from .search import INDEX_FOLDER
from .serve_inject import (EVENTS_PATH, OVERLAY_CSS, PREFIX, RELOAD_JS, SCRIPT_PATH, STYLE_PATH,
                           inject, placeholder_page)

KEEPALIVE_SECONDS = 15.0

# Fixed, so the preview answers the same on every machine; anything else falls back to bytes.
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8", ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8", ".json": "application/json",
    ".map": "application/json", ".webmanifest": "application/manifest+json",
    ".xml": "application/xml", ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
    ".webp": "image/webp", ".gif": "image/gif", ".ico": "image/x-icon", ".avif": "image/avif",
    ".woff": "font/woff", ".woff2": "font/woff2", ".wasm": "application/wasm",
}
BINARY = "application/octet-stream"  # Pagefind's .pf_meta, .pf_index, .pf_fragment, .pagefind


def content_type(path: Path) -> str:
    """The Content-Type for a file of the built site, by suffix."""
    return CONTENT_TYPES.get(path.suffix.lower(), BINARY)


@dataclass(frozen=True)
class Snapshot:
    """What the server shows: the last good site, the current build token, the last failure."""

    root: Path | None  # folder of the last good build; None until one passes
    token: str  # changes on every rebuild, passed or failed: the reload signal
    problems: tuple[Problem, ...] = ()  # why the last rebuild failed; empty when it passed
    prefix: str = "/"  # the base URL's path: the site is served where it will be published
    search_root: Path | None = None  # the newest folder whose search index is complete (serve_search.py)


class LiveState:
    """The one piece of shared state: the current Snapshot, and a way to wait for the next."""

    def __init__(self, snapshot: Snapshot) -> None:
        self._snapshot = snapshot
        self._changed = threading.Condition()
        self._closed = False

    def current(self) -> Snapshot:
        with self._changed:
            return self._snapshot

    def publish(self, snapshot: Snapshot) -> None:
        """Show a new build (or failure) and wake every page waiting for a reload."""
        with self._changed:
            self._snapshot = snapshot
            self._changed.notify_all()

    def update(self, **changes: object) -> None:
        """Change fields of the current snapshot in one step (the token, and so open tabs, stay)."""
        with self._changed:
            self._snapshot = replace(self._snapshot, **changes)  # type: ignore[arg-type]

    def wait_for_change(self, token: str, timeout: float) -> Snapshot | None:
        """Block until the token differs from `token` or `timeout` passes; None once closed."""
        with self._changed:
            if not self._closed and self._snapshot.token == token:
                self._changed.wait(timeout)
            return None if self._closed else self._snapshot

    def close(self) -> None:
        """Release every waiting event stream so the server can stop."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()


@dataclass(frozen=True)
class Target:
    """Where a request leads: a file (200), a redirect (301, 302), or a refusal (400/404)."""

    status: int
    file: Path | None = None
    location: str = ""


_FORBIDDEN_ESCAPES = re.compile(r"%(2f|5c|00)", re.IGNORECASE)  # encoded /, \ and NUL


def resolve(root: Path, target: str, prefix: str = "/") -> Target:
    """Map a request target to a file strictly inside root, following index.html for folders.

    The site answers under `prefix` (the base URL's path, `/` or `/community/`), as on its
    host; `/` redirects there. Browsers normalise `.` and `..` before sending, so a request
    still holding them (plain or encoded) is hostile or broken: 400. Symlinks are followed
    and must land inside root.
    """
    parts = urlsplit(target)
    query = f"?{parts.query}" if parts.query else ""
    if not parts.path.startswith("/"):
        return Target(HTTPStatus.BAD_REQUEST)
    if not parts.path.startswith(prefix):
        if parts.path in ("/", prefix.rstrip("/")):
            return Target(HTTPStatus.FOUND, location=prefix + query)
        return Target(HTTPStatus.NOT_FOUND)
    segments = []
    raw_segments = parts.path[len(prefix) - 1:].split("/")[1:]
    for index, raw in enumerate(raw_segments):
        if _FORBIDDEN_ESCAPES.search(raw) or "\\" in raw:
            return Target(HTTPStatus.BAD_REQUEST)
        try:
            segment = unquote(raw, errors="strict")
        except UnicodeDecodeError:
            return Target(HTTPStatus.BAD_REQUEST)
        if segment in (".", "..") or "\x00" in segment or "\\" in segment:
            return Target(HTTPStatus.BAD_REQUEST)
        if not segment and index < len(raw_segments) - 1:
            # "//x" would make a protocol-relative redirect to another host; nothing links so.
            return Target(HTTPStatus.NOT_FOUND)
        segments.append(segment)
    base = root.resolve()
    found = base.joinpath(*segments).resolve()
    if not found.is_relative_to(base):
        return Target(HTTPStatus.NOT_FOUND)
    if found.is_dir():
        if not parts.path.endswith("/"):
            return Target(HTTPStatus.MOVED_PERMANENTLY, location=parts.path + "/" + query)
        found = found / "index.html"
    elif parts.path.endswith("/"):
        return Target(HTTPStatus.NOT_FOUND)
    return Target(HTTPStatus.OK, found) if found.is_file() else Target(HTTPStatus.NOT_FOUND)


class PreviewHandler(BaseHTTPRequestHandler):
    """GET and HEAD over the current snapshot; the /__connectory/ paths belong to the server."""

    server: "PreviewServer"
    server_version = "connectory-preview"

    def do_GET(self) -> None:  # noqa: N802 - the name http.server dispatches to
        self._respond(head=False)

    def do_HEAD(self) -> None:  # noqa: N802
        self._respond(head=True)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Quiet: the terminal is for build results, not one line per request."""

    def _respond(self, head: bool) -> None:
        path = urlsplit(self.path).path
        if path.startswith(PREFIX):
            self._internal(path, head)
            return
        snapshot = self.server.state.current()
        if snapshot.root is None:
            self._send(HTTPStatus.SERVICE_UNAVAILABLE, "text/html; charset=utf-8",
                       self._page(placeholder_page(), snapshot), head)
            return
        target = resolve(self._root_for(path, snapshot), self.path, snapshot.prefix)
        if target.location:
            self.send_response(target.status)
            self.send_header("Location", target.location)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif target.status == HTTPStatus.BAD_REQUEST:
            self._send(target.status, "text/plain; charset=utf-8", b"400 bad request\n", head)
        elif target.file is None:
            self._not_found(snapshot, head)
        else:
            kind = content_type(target.file)
            body = target.file.read_bytes()
            if kind.startswith("text/html"):
                body = self._page(body, snapshot)
            self._send(HTTPStatus.OK, kind, body, head)

    @staticmethod
    def _root_for(path: str, snapshot: Snapshot) -> Path:
        """The search index comes from the folder whose index is complete, which may be older than
        the pages (a new one is being built); before any is complete, from the pages' folder."""
        if snapshot.search_root is not None and path.startswith(f"{snapshot.prefix}{INDEX_FOLDER}/"):
            return snapshot.search_root
        return snapshot.root  # type: ignore[return-value] - checked by the caller

    def _page(self, html: bytes, snapshot: Snapshot) -> bytes:
        return inject(html, snapshot.token, snapshot.problems)

    def _not_found(self, snapshot: Snapshot, head: bool) -> None:
        page = snapshot.root / "404.html" if snapshot.root else None
        if page is not None and page.is_file():
            self._send(HTTPStatus.NOT_FOUND, "text/html; charset=utf-8",
                       self._page(page.read_bytes(), snapshot), head)
        else:
            self._send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", b"404 not found\n", head)

    def _internal(self, path: str, head: bool) -> None:
        if path == EVENTS_PATH and not head:
            self._events()
        elif path == SCRIPT_PATH:
            self._send(HTTPStatus.OK, CONTENT_TYPES[".js"], RELOAD_JS.encode(), head)
        elif path == STYLE_PATH:
            self._send(HTTPStatus.OK, CONTENT_TYPES[".css"], OVERLAY_CSS.encode(), head)
        else:
            self._send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", b"404 not found\n", head)

    def _events(self) -> None:
        """Server-Sent Events: one `reload` as soon as the build differs from the page's token."""
        token = parse_qs(urlsplit(self.path).query).get("token", [""])[0]
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        try:
            self.wfile.write(b"retry: 1000\n\n")
            self.wfile.flush()
            while (snapshot := self.server.state.wait_for_change(token, KEEPALIVE_SECONDS)) is not None:
                if snapshot.token != token:
                    self.wfile.write(f"event: reload\ndata: {snapshot.token}\n\n".encode())
                    self.wfile.flush()
                    return
                self.wfile.write(b": keep-alive\n\n")  # lets us notice a closed tab
                self.wfile.flush()
        except OSError:  # the tab went away
            return

    def _send(self, status: int, kind: str, body: bytes, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")  # a preview must never show a stale page
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if not head:
            self.wfile.write(body)


class PreviewServer(ThreadingHTTPServer):
    """A threading server whose handler threads are joined on close, not abandoned."""

    daemon_threads = False
    block_on_close = True

    def __init__(self, address: tuple[str, int], state: LiveState) -> None:
        self.state = state
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, PreviewHandler)

    def process_request(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request) -> None:  # type: ignore[no-untyped-def]
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Cut idle keep-open sockets (browser pre-connects) so joining their threads is quick."""
        with self._open_lock:
            sockets = list(self._open)
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def handle_error(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        """A browser closing a tab mid-response is normal; anything else is reported."""
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)
