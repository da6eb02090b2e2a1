"""Helpers for the tests of the built site: build it with the CLI, read its links, serve it over HTTP.

Each test module builds what it needs once (module-scoped fixtures call `build_site`), so the
suite pays for the example community's build a handful of times, not once per test.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import BeautifulSoup
from click.testing import CliRunner

from generator.cli import cli

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT  # the project's own content/ is the example community
SUB_PATH_BASE = "https://example.org/community/"

# Attributes that hold one URL; srcset holds several and is read separately.
URL_ATTRS = ("href", "src", "action", "formaction", "poster", "data", "cite", "background")
CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)""", re.IGNORECASE)
# Only these schemes lead somewhere a static site can check; mailto and tel are not files.
WEB_SCHEMES = ("", "http", "https")


def build_site(source: Path, out: Path, *args: str) -> Path:
    """Run `connectory build --source SOURCE --out OUT ARGS...` and return OUT; fail with its output."""
    result = CliRunner().invoke(cli, ["build", "--source", str(source), "--out", str(out), *args],
                                catch_exceptions=False)
    assert result.exit_code == 0, f"connectory build exited {result.exit_code}:\n{result.output}"
    return out


def files_of(out: Path) -> list[Path]:
    """Every file under out, as paths relative to it, sorted."""
    return sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())


def html_files(out: Path) -> list[Path]:
    """Every HTML file under out (relative paths), sorted."""
    return [p for p in files_of(out) if p.suffix == ".html"]


def soup(path: Path, parser: str = "html.parser") -> BeautifulSoup:
    """A parsed HTML file."""
    return BeautifulSoup(path.read_text(encoding="utf-8"), parser)


def srcset_urls(value: str) -> list[str]:
    """The URLs of a srcset value ("a.png 1x, b.png 2x")."""
    return [part.split()[0] for part in value.split(",") if part.split()]


def page_refs(page: BeautifulSoup) -> Iterator[tuple[str, str]]:
    """(description, URL) for every URL an HTML page refers to: attributes, srcset and inline CSS."""
    for tag in page.find_all(True):
        for attr in URL_ATTRS:
            value = tag.get(attr)
            if isinstance(value, str):
                yield f"<{tag.name} {attr}>", value
        if isinstance(tag.get("srcset"), str):
            for url in srcset_urls(tag["srcset"]):
                yield f"<{tag.name} srcset>", url
        if isinstance(tag.get("style"), str):
            for match in CSS_URL.finditer(tag["style"]):
                yield f"<{tag.name} style>", match.group(2)
        if tag.name == "style":
            for match in CSS_URL.finditer(tag.get_text()):
                yield "<style>", match.group(2)


@dataclass(frozen=True)
class Site:
    """A built site: the folder it was written to and the base URL it was built for."""

    out: Path
    base_url: str = "/"

    @property
    def origin(self) -> str:
        """The scheme and host of the base URL; a stand-in host when the base is a bare path."""
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}" if parts.netloc else "http://site.invalid"

    @property
    def base_path(self) -> str:
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    def url_of(self, rel: Path) -> str:
        """The absolute URL a file of the site is served at (index.html as its folder)."""
        text = rel.as_posix()
        if text == "index.html" or text.endswith("/index.html"):
            text = text[: -len("index.html")]
        return self.origin + self.base_path + text

    def locate(self, rel: Path, ref: str) -> tuple[str | None, str, str]:
        """Where a URL found in the file rel points inside the site, whether or not a file is there.

        Returns (path relative to the output folder, fragment, problem); the path is None for
        URLs that leave the site (another host, mailto:) and for those that leave the base path,
        which is then the problem.
        """
        ref = ref.strip()
        if urlsplit(ref).scheme.lower() not in WEB_SCHEMES:
            return None, "", ""
        url = urlsplit(urljoin(self.url_of(rel), ref))
        if f"{url.scheme}://{url.netloc}" != self.origin:
            return None, "", ""  # another host
        if not url.path.startswith(self.base_path):
            return None, "", f"leaves the base path {self.base_path}"
        target = unquote(url.path[len(self.base_path):])
        if target == "" or target.endswith("/"):
            target += "index.html"
        return target, unquote(url.fragment), ""

    def resolve(self, rel: Path, ref: str) -> tuple[Path | None, str, str]:
        """Which file a URL found in the file rel leads to: (target file or None, fragment, problem).

        The target is None for links that leave the site (other hosts, mailto:); the problem
        is empty when the URL is fine, and says what is wrong otherwise.
        """
        target, fragment, problem = self.locate(rel, ref)
        if target is None:
            return None, fragment, problem
        path = self.out / target
        if path.is_dir() and (path / "index.html").is_file():
            path = path / "index.html"
        if not path.is_file():
            return None, fragment, f"no file {target} in the output"
        return path.relative_to(self.out), fragment, ""


def ids_of(page: BeautifulSoup) -> set[str]:
    """Every fragment a page can be linked to: id attributes and the names of <a name>."""
    ids = {t["id"] for t in page.find_all(id=True)}
    return ids | {t["name"] for t in page.find_all("a", attrs={"name": True})}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files without logging every request to stderr."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm",
                      ".json": "application/json", ".webp": "image/webp", ".svg": "image/svg+xml"}

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve folder on 127.0.0.1 at a free port in a thread; yield its URL (with a trailing slash)."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
