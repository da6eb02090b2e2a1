"""The preview server over real HTTP: files, types, folders, 404, refusals, reload events, overlay.

These use a stand-in build (one page per member) so they test the server, not the renderer;
tests/test_serve.py runs the real pipeline.
"""

from __future__ import annotations

import http.client
import os
import socket
import threading
import time
from pathlib import Path
from typing import Callable, Iterator

import pytest
from watchfiles import Change

from conftest import WriteCommunity, profile
from generator.community import load_community
from generator.errors import CheckFailed, Problem, UsageError
from generator.serve import Built, EditorFilter, Preview
from generator.serve_inject import inject, overlay_html

ASSETS = {
    "style.css": b"body{}", "app.js": b"1", "data.json": b"{}", "logo.svg": b"<svg/>",
    "photo.webp": b"RIFF", "sitemap.xml": b"<urlset/>", "pagefind/index/en_1.pf_index": b"\x00",
    "pagefind/pagefind.en_1.pf_meta": b"\x00", "pagefind/wasm.en.pagefind": b"\x00",
}


def stand_in_build(source: Path) -> Callable[[Path], Built]:
    """A tiny build: one page per member, a 404 page and some assets; CheckFailed on errors."""

    def build(out: Path) -> str:
        loaded = load_community(source)
        if loaded.errors:
            raise CheckFailed(loaded.problems)
        for rel, data in ASSETS.items():
            (out / rel).parent.mkdir(parents=True, exist_ok=True)
            (out / rel).write_bytes(data)
        (out / "index.html").write_text("<!DOCTYPE html><html><body><h1>Home</h1></body></html>")
        (out / "404.html").write_text("<html><body><h1>Not here</h1></body></html>")
        for member in loaded.community.members:
            page = out / "members" / member.handle / "index.html"
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(f"<html><body class=p><h1>{member.name}</h1></body></html>")
        return Built(f"{len(loaded.community.members)} members")

    return build


def write_ada(root: Path) -> Path:
    (root / "content/members").mkdir(parents=True)
    (root / "content/site.yaml").write_text("title: Test\n")
    (root / "content/members/ada.md").write_text(profile("Ada Lovelace"))
    return root


@pytest.fixture
def community(tmp_path: Path) -> Path:
    return write_ada(tmp_path)


def started(source: Path) -> Preview:
    running = Preview(source, stand_in_build(source), port=0, log=lambda _: None)
    running.start()
    return running


@pytest.fixture
def preview(community: Path) -> Iterator[Preview]:
    """A preview of its own, for tests that change the community."""
    running = started(community)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Preview]:
    """One preview for the tests that only read, so the module stays fast."""
    running = started(write_ada(tmp_path_factory.mktemp("shared")))
    (running.work / "secret.txt").write_text("SECRET")
    yield running
    running.stop()


def get(preview: Preview, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    """One raw request: http.client sends the path exactly as written, unlike a browser."""
    host, port = preview.server.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=10)
    conn.putrequest(method, path, skip_accept_encoding=True)
    conn.endheaders()
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


def test_a_folder_is_served_from_its_index_html(shared: Preview) -> None:
    status, headers, body = get(shared, "/members/ada/")
    assert status == 200 and b"<h1>Ada Lovelace</h1>" in body
    assert headers["content-type"] == "text/html; charset=utf-8"


def test_a_folder_without_its_slash_redirects_to_it(shared: Preview) -> None:
    status, headers, _ = get(shared, "/members/ada?x=1")
    assert status == 301 and headers["location"] == "/members/ada/?x=1"


@pytest.mark.parametrize(("path", "kind"), [
    ("/style.css", "text/css; charset=utf-8"), ("/app.js", "text/javascript; charset=utf-8"),
    ("/data.json", "application/json"), ("/logo.svg", "image/svg+xml"), ("/photo.webp", "image/webp"),
    ("/sitemap.xml", "application/xml"), ("/pagefind/index/en_1.pf_index", "application/octet-stream"),
    ("/pagefind/pagefind.en_1.pf_meta", "application/octet-stream"),
    ("/pagefind/wasm.en.pagefind", "application/octet-stream"),
])
def test_files_are_served_with_their_content_type(shared: Preview, path: str, kind: str) -> None:
    status, headers, _ = get(shared, path)
    assert (status, headers["content-type"]) == (200, kind)


def test_an_unknown_path_gets_the_sites_404_page_with_status_404(shared: Preview) -> None:
    status, _, body = get(shared, "/members/nobody/")
    assert status == 404 and b"Not here" in body


def test_head_sends_headers_without_a_body(shared: Preview) -> None:
    status, headers, body = get(shared, "/style.css", method="HEAD")
    assert (status, headers["content-length"], body) == (200, "6", b"")


@pytest.mark.parametrize("path", [
    "/../secret.txt", "/members/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/%2e%2e/secret.txt",
    "/members%2f..%2f..%2fsecret.txt", "/..%5csecret.txt", "/..\\secret.txt", "/secret.txt%00.html",
    "/%c0%ae%c0%ae/secret.txt", "//secret.txt",
])
def test_nothing_outside_the_output_folder_is_served(shared: Preview, path: str) -> None:
    status, headers, body = get(shared, path)
    assert status in (400, 404) and b"SECRET" not in body and "location" not in headers


def test_a_symlink_pointing_out_of_the_output_folder_is_refused(preview: Preview) -> None:
    (preview.work / "secret.txt").write_text("SECRET")
    os.symlink(preview.work / "secret.txt", preview.out / "leak.txt")
    status, _, body = get(preview, "/leak.txt")
    assert status == 404 and b"SECRET" not in body


def test_html_pages_carry_the_reload_script_before_the_end_of_body(shared: Preview) -> None:
    _, _, body = get(shared, "/")
    assert body.index(b'src="/__connectory/reload.js"') < body.index(b"</body>")


def test_other_files_are_sent_untouched(shared: Preview) -> None:
    assert get(shared, "/style.css")[2] == b"body{}"


def test_the_reload_stream_tells_an_outdated_page_to_reload(shared: Preview) -> None:
    host, port = shared.server.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=10)
    conn.request("GET", "/__connectory/events?token=from-an-older-build")
    response = conn.getresponse()
    assert response.getheader("Content-Type") == "text/event-stream"
    assert b"event: reload" in response.read()  # the server ends the stream after telling
    conn.close()


def test_a_rebuild_that_fails_the_check_puts_the_overlay_over_the_last_good_site(
        preview: Preview, community: Path) -> None:
    (community / "content/members/ada.md").write_text("---\nname: Ada\nfavourite: tea\n---\n")
    preview.rebuild()
    _, _, body = get(preview, "/members/ada/")
    assert b'id="connectory-overlay"' in body and b"<h1>Ada Lovelace</h1>" in body
    assert b"content/members/ada.md:3" in body and b"<code>favourite</code>" in body


def test_a_fixed_rebuild_removes_the_overlay(preview: Preview, community: Path) -> None:
    page = community / "content/members/ada.md"
    page.write_text("---\nname: Ada\nfavourite: tea\n---\n")
    preview.rebuild()
    page.write_text(profile("Ada King"))
    preview.rebuild()
    _, _, body = get(preview, "/members/ada/")
    assert b"connectory-overlay" not in body and b"<h1>Ada King</h1>" in body


def served_eventually(preview: Preview, path: str, wanted: bytes, timeout: float = 15) -> bytes:
    """Poll until the page holds `wanted` (the watcher rebuilds on its own thread)."""
    deadline = time.monotonic() + timeout
    while True:
        body = get(preview, path)[2]
        if wanted in body or time.monotonic() > deadline:
            return body
        time.sleep(0.05)


def test_saving_a_profile_rebuilds_and_serves_the_change(preview: Preview, community: Path) -> None:
    (community / "content/members/ada.md").write_text(profile("Ada Byron"))
    assert b"<h1>Ada Byron</h1>" in served_eventually(preview, "/members/ada/", b"Ada Byron")


@pytest.mark.parametrize("name", [".ada.md.swp", "ada.md~", "#ada.md#", ".#ada.md", "4913", "ada.md.tmp",
                                  ".~lock.notes.odt#", ".goutputstream-X1Y2"])
def test_editor_scratch_files_are_not_watched(name: str) -> None:
    assert not EditorFilter()(Change.added, f"/c/content/members/{name}")


def test_profiles_and_avatars_are_watched() -> None:
    assert EditorFilter()(Change.modified, "/c/content/members/ada.md")
    assert EditorFilter()(Change.added, "/c/content/avatars/ada.webp")


def test_before_any_good_build_every_page_shows_the_overlay(write_community: WriteCommunity) -> None:
    source = write_community({"content/members/ada.md": "---\nname: [not, text]\n---\n"})
    running = started(source)
    try:
        status, _, body = get(running, "/anything/")
    finally:
        running.stop()
    assert status == 503 and b"content/members/ada.md:2" in body


def test_a_port_in_use_is_an_error_naming_the_port_option(community: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(UsageError, match="--port"):
            Preview(community, stand_in_build(community), port=port, log=lambda _: None).start()


def test_stopping_joins_every_thread_the_preview_started(community: Path) -> None:
    before = set(threading.enumerate())
    running = started(community)
    idle = socket.create_connection(running.server.server_address[:2])  # a browser pre-connect
    get(running, "/")
    running.stop()
    idle.close()
    assert set(threading.enumerate()) <= before


def test_overlay_text_is_escaped() -> None:
    problem = Problem("content/members/<x>.md", 2, 1, "name", "bad", "<script>alert(1)</script>")
    assert "<script>" not in overlay_html([problem])


def test_the_overlay_comes_first_in_the_body() -> None:
    page = inject(b"<html><body class=x><main>page</main></body></html>", "t",
                  [Problem("a.md", 1, 1, "name", "bad", "wrong")])
    assert page.index(b'id="connectory-overlay"') < page.index(b"<main>")
    assert page.index(b"<body class=x>") < page.index(b'id="connectory-overlay"')


def test_search_files_come_from_the_newest_complete_index(preview: Preview) -> None:
    older = preview.work / "older"
    (older / "pagefind").mkdir(parents=True)
    (older / "pagefind/pagefind-entry.json").write_text('{"complete": true}')
    preview.state.update(search_root=older)
    assert get(preview, "/pagefind/pagefind-entry.json")[2] == b'{"complete": true}'
    assert b"<h1>Ada Lovelace</h1>" in get(preview, "/members/ada/")[2]  # pages still from the newest build
