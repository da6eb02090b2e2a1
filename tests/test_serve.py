"""`connectory serve` with the real pipeline: edit, break and fix a profile and watch the site follow."""

from __future__ import annotations

import gzip
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import pytest
from click.testing import CliRunner

from conftest import WriteCommunity, profile
from generator.build import build
from generator.cli import cli
from generator.serve import Preview, site_build
from generator.serve_http import resolve

ROOT = Path(__file__).resolve().parent.parent


def ada_and_grace(write_community: WriteCommunity) -> Path:
    return write_community({
        "content/site.yaml": "title: Test Community\n",
        "content/members/ada.md": profile("Ada Lovelace", headline="Engines", connections="[grace]"),
        "content/members/grace.md": profile("Grace Hopper", connections="[ada]"),
    })


@pytest.fixture
def preview(write_community: WriteCommunity) -> Iterator[Preview]:
    source = ada_and_grace(write_community)
    running = Preview(source, site_build(source), search=True, port=0, log=lambda _: None)
    running.start()
    yield running
    running.stop()


def get(preview: Preview, path: str) -> tuple[int, bytes]:
    host, port = preview.server.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=10)
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, body


def served_eventually(preview: Preview, path: str, wanted: bytes, present: bool = True,
                      timeout: float = 30) -> bytes:
    """Poll until `wanted` is (or is no longer) in the page: the watcher rebuilds on its own thread."""
    deadline = time.monotonic() + timeout
    while True:
        body = get(preview, path)[1]
        if (wanted in body) == present or time.monotonic() > deadline:
            return body
        time.sleep(0.05)


def test_saving_a_profile_serves_the_changed_page(preview: Preview) -> None:
    (preview.source / "content/members/ada.md").write_text(
        profile("Ada Lovelace", headline="Analytical engines", connections="[grace]"))
    assert b"Analytical engines" in served_eventually(preview, "/members/ada/", b"Analytical engines")


def test_a_broken_profile_shows_the_overlay_with_file_line_and_field(preview: Preview) -> None:
    (preview.source / "content/members/grace.md").write_text("---\nname: Grace Hopper\nfavourite: COBOL\n---\n")
    body = served_eventually(preview, "/members/ada/", b"connectory-overlay")
    assert b"content/members/grace.md:3" in body and b"<code>favourite</code>" in body
    assert b"Engines" in body  # still the last good page under the overlay


def test_fixing_the_profile_brings_the_site_back(preview: Preview) -> None:
    grace = preview.source / "content/members/grace.md"
    grace.write_text("---\nname: Grace Hopper\nfavourite: COBOL\n---\n")
    served_eventually(preview, "/", b"connectory-overlay")
    grace.write_text(profile("Grace Brewster Hopper", connections="[ada]"))
    body = served_eventually(preview, "/members/grace/", b"Grace Brewster Hopper")
    assert b"Grace Brewster Hopper" in body and b"connectory-overlay" not in body


def test_search_index_is_served(preview: Preview) -> None:
    status, body = get(preview, "/pagefind/pagefind-entry.json")
    assert status == 200 and b'"languages"' in body


def test_the_search_index_follows_the_pages(preview: Preview) -> None:
    write = preview.source / "content/members/lin.md"
    write.write_text(profile("Lin Wei Searchable"))
    served_eventually(preview, "/members/lin/", b"Lin Wei Searchable")
    deadline = time.monotonic() + 60
    while preview.state.current().search_root != preview.state.current().root and time.monotonic() < deadline:
        time.sleep(0.05)
    index = preview.state.current().search_root / "pagefind"
    found = [f for f in index.rglob("*.pf_fragment") if b"Lin Wei Searchable" in gzip.decompress(f.read_bytes())]
    assert found and get(preview, "/" + found[0].relative_to(index.parent).as_posix())[0] == 200


def test_build_output_carries_no_reload_script(write_community: WriteCommunity, tmp_path: Path) -> None:
    source = ada_and_grace(write_community)
    build(source, tmp_path / "out", search=False)
    pages = [p.read_bytes() for p in (tmp_path / "out").rglob("*.html")]
    assert pages and not any(b"__connectory" in page for page in pages)


def test_a_site_under_a_sub_path_is_served_there(tmp_path: Path) -> None:
    (tmp_path / "members/ada").mkdir(parents=True)
    (tmp_path / "members/ada/index.html").write_text("ada")
    assert resolve(tmp_path, "/community/members/ada/", "/community/").file == tmp_path / "members/ada/index.html"
    assert resolve(tmp_path, "/?q=1", "/community/").location == "/community/?q=1"
    assert resolve(tmp_path, "/members/ada/", "/community/").status == 404


def test_a_port_in_use_exits_2_naming_the_port_option(write_community: WriteCommunity) -> None:
    source = ada_and_grace(write_community)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", "--source", str(source), "--port", str(port)])
    assert result.exit_code == 2 and f"--port {port + 1}" in result.output


def test_serve_without_a_content_folder_says_where_to_point(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["serve", "--source", str(tmp_path), "--port", "0"])
    assert result.exit_code == 2 and "connectory init" in result.output


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_or_kill_stops_the_server_cleanly(write_community: WriteCommunity, tmp_path: Path,
                                                 how: signal.Signals) -> None:
    source = ada_and_grace(write_community)
    scratch = tmp_path / "tmp"  # the server's temporary folder goes here, to check it is removed
    scratch.mkdir()
    # -X faulthandler: if it hangs, SIGABRT makes it print every thread's stack (see below).
    server = subprocess.Popen([sys.executable, "-X", "faulthandler", "-c", "from generator.cli import main; main()",
                               "serve", "--source", str(source), "--port", "0"], cwd=ROOT, stderr=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONUNBUFFERED": "1", "TMPDIR": str(scratch)})
    try:
        lines = []
        for line in server.stderr:  # bounded by the build: the line comes once it is done
            lines.append(line)
            if line.startswith("serving "):
                break
        url = lines[-1].split()[1]
        host, port = url.split("//")[1].rstrip("/").rsplit(":", 1)
        with socket.create_connection((host, int(port))) as stream:  # an open tab's reload stream
            stream.sendall(b"GET /__connectory/events?token=x HTTP/1.0\r\n\r\n")
            server.send_signal(how)
            try:
                rest = server.communicate(timeout=30)[1]
            except subprocess.TimeoutExpired:
                server.send_signal(signal.SIGABRT)
                pytest.fail(f"serve did not stop within 30 s; where its threads were:\n"
                            f"{server.communicate(timeout=30)[1]}")
    finally:
        if server.poll() is None:
            server.kill()
    assert server.returncode == 0 and "Traceback" not in rest and "stopping" in rest
    assert not list(scratch.iterdir())


def test_serve_gives_back_the_sigterm_handler_it_found(write_community: WriteCommunity) -> None:
    source = ada_and_grace(write_community)
    before = signal.getsignal(signal.SIGTERM)
    with socket.socket() as taken:  # serve stops at once: the port is taken
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        CliRunner().invoke(cli, ["serve", "--source", str(source), "--port", str(taken.getsockname()[1])])
    assert signal.getsignal(signal.SIGTERM) is before
