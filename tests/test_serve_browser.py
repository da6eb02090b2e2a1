"""`connectory serve` in a real browser: an open tab reloads by itself, under the theme's CSP.

The HTTP tests check the reload stream's protocol; only a browser shows that the injected
script is allowed to run (the theme's Content-Security-Policy says `script-src 'self'`) and
that the page really reloads, overlay included, without a console error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from conftest import WriteCommunity, chromium_path, profile, require
from generator.serve import Preview, site_build

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
WAIT_MS = 30_000


@pytest.fixture
def tab(write_community: WriteCommunity) -> Iterator[tuple[object, Path, list[str]]]:
    """A preview of a two-member community and a Chromium tab on Ada's page, with its errors."""
    executable = chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the test extras install it
        require(False, "the playwright package is not installed (pip install -e '.[test]')")
    source = write_community({"content/site.yaml": "title: Reload\n",
                              "content/members/ada.md": profile("Ada Lovelace", headline="Engines")})
    preview = Preview(source, site_build(source), port=0, log=lambda _: None)
    url = preview.start()
    errors: list[str] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=executable, args=ARGS)
            page = browser.new_page()
            page.on("console", lambda m: m.type == "error" and errors.append(m.text))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(url + "members/ada/")
            yield page, source, errors
            browser.close()
    finally:
        preview.stop()


def test_an_open_tab_reloads_after_a_save(tab: tuple[object, Path, list[str]]) -> None:
    page, source, errors = tab
    (source / "content/members/ada.md").write_text(profile("Ada Lovelace", headline="Analytical engines"))
    page.wait_for_selector("text=Analytical engines", timeout=WAIT_MS)  # a selector, not eval: the CSP allows it
    assert not errors


def test_an_open_tab_shows_the_overlay_after_a_broken_save(tab: tuple[object, Path, list[str]]) -> None:
    page, source, errors = tab
    (source / "content/members/ada.md").write_text("---\nname: Ada\nfavourite: tea\n---\n")
    page.wait_for_selector("#connectory-overlay[role=alert]", timeout=WAIT_MS)
    assert "content/members/ada.md:3" in page.inner_text("#connectory-overlay")
    assert not errors
