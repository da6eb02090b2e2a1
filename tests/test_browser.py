"""The built example in a real browser: search, filters, accessibility, no JavaScript, no errors.

Playwright drives Debian's Chromium (never a downloaded one) against the site served over HTTP
on 127.0.0.1, once at `/` and once under a sub-path (/community/), the way GitHub Pages hosts
a project site.
"""

from __future__ import annotations

import json
import re
import time
from typing import Callable, Iterator

import pytest

from conftest import TOOLS, chromium_path, require
from generator.community import load_community
from site_helpers import EXAMPLE, build_site, serve

AXE = TOOLS / "axe-core" / "axe.min.js"
# Only violations are read; not collecting passes and incompletes makes each run cheaper.
AXE_RUN = "async () => await axe.run(document, {resultTypes: ['violations']})"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
MEMBERS = load_community(EXAMPLE).community.members
HANDLE = re.compile(r"members/([a-z0-9-]+)/$")
SEARCH = "#search-query"
WAIT_MS = 30_000  # a first Chromium start on a busy machine can take more than 10 s to load the index

# A distinctive offer: only Björn offers it, and the word appears on no other profile.
OFFER, OFFERER = "geothermal", "bjorn-sigurdsson"
EMAILER = "oluwaseun-adeyemi"
EMAIL = next(m.email for m in MEMBERS if m.handle == EMAILER)
FIELD = "energy"
FIELD_MEMBERS = {m.handle for m in MEMBERS if FIELD in m.fields}
QUERY = "climate"


@pytest.fixture(scope="module")
def root_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The example built for `/` and served at the root of a local server."""
    out = build_site(EXAMPLE, tmp_path_factory.mktemp("browser") / "site")
    with serve(out) as url:
        yield url


@pytest.fixture(scope="module")
def sub_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The example built for <server>/community/ and served from the folder above it."""
    parent = tmp_path_factory.mktemp("hosting")
    with serve(parent) as url:
        build_site(EXAMPLE, parent / "community", "--base-url", url + "community/")
        yield url + "community/"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One headless Chromium for the module."""
    executable = chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the test extras install it
        require(False, "the playwright package is not installed (pip install -e '.[test]')")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(params=["root", "sub-path"])
def site_url(request: pytest.FixtureRequest) -> str:
    """The home page's URL, at the root and under a sub-path in turn."""
    return request.getfixturevalue("root_url" if request.param == "root" else "sub_url")


class Page:
    """A browser tab plus every console error and uncaught exception it logged."""

    def __init__(self, browser: object, **context_options: object) -> None:
        self.context = browser.new_context(**context_options)  # type: ignore[attr-defined]
        self.tab = self.context.new_page()
        self.errors: list[str] = []
        self.tab.on("console", lambda m: m.type == "error" and self.errors.append(f"console: {m.text}"))
        self.tab.on("pageerror", lambda e: self.errors.append(f"exception: {e}"))
        self.tab.on("response", lambda r: r.status >= 400 and self.errors.append(f"HTTP {r.status}: {r.url}"))

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def open_page(browser: object) -> Iterator[Callable[..., Page]]:
    """Open a fresh tab (its own context, so options like no-JavaScript apply); closed afterwards."""
    pages: list[Page] = []

    def open_(**options: object) -> Page:
        pages.append(Page(browser, **options))
        return pages[-1]

    yield open_
    for page in pages:
        page.close()


def visible_members(tab: object) -> set[str]:
    """The handles of every member a visitor can see a link to in the page's main area."""
    hrefs = tab.locator("main a[href*='members/']:visible").evaluate_all(  # type: ignore[attr-defined]
        "links => links.map(a => a.getAttribute('href'))")
    return {m.group(1) for h in hrefs if (m := HANDLE.search(h))}


def wait_for_members(tab: object, done: Callable[[set[str]], bool]) -> set[str]:
    """Poll the visible members until `done` holds for them (search answers asynchronously)."""
    deadline = time.monotonic() + WAIT_MS / 1000
    seen = visible_members(tab)
    while not done(seen) and time.monotonic() < deadline:
        tab.wait_for_timeout(100)  # type: ignore[attr-defined]
        seen = visible_members(tab)
    return seen


def search_ready(tab: object) -> None:
    """Wait until the search script has shown the search form (it stays hidden without it)."""
    tab.wait_for_selector(SEARCH, state="visible", timeout=WAIT_MS)  # type: ignore[attr-defined]


def check_filter(tab: object, group: str, value: str) -> None:
    """Open the filter group that holds the value and tick it."""
    box = tab.locator(f"input[type=checkbox][name='{group}'][value='{value}']")  # type: ignore[attr-defined]
    details = tab.locator("details", has=box)  # type: ignore[attr-defined]
    if details.count() and details.first.get_attribute("open") is None:
        details.first.locator("summary").click()
    box.check()


def test_typing_an_offer_into_the_search_shows_the_member_who_offers_it(open_page, site_url: str) -> None:
    tab = open_page().tab
    tab.goto(site_url)
    search_ready(tab)
    tab.fill(SEARCH, OFFER)
    seen = wait_for_members(tab, lambda s: OFFERER in s and len(s) < len(MEMBERS))
    assert OFFERER in seen and len(seen) < len(MEMBERS), f"visible after searching {OFFER!r}: {sorted(seen)}"


def test_a_filter_with_an_empty_query_lists_exactly_its_members(open_page, site_url: str) -> None:
    tab = open_page().tab
    tab.goto(site_url)
    search_ready(tab)
    assert len(visible_members(tab)) == len(MEMBERS)
    check_filter(tab, "field", FIELD)
    seen = wait_for_members(tab, lambda s: s == FIELD_MEMBERS)
    assert seen == FIELD_MEMBERS


def test_choosing_a_filter_narrows_the_results_of_a_query(open_page, root_url: str) -> None:
    tab = open_page().tab
    tab.goto(root_url)
    search_ready(tab)
    tab.fill(SEARCH, QUERY)
    before = wait_for_members(tab, lambda s: 0 < len(s) < len(MEMBERS))
    check_filter(tab, "field", FIELD)
    after = wait_for_members(tab, lambda s: s != before)
    assert before and after and after < before, f"{QUERY!r}: {sorted(before)}; with {FIELD}: {sorted(after)}"
    assert after <= FIELD_MEMBERS


def test_the_home_page_and_its_search_log_no_errors(open_page, site_url: str) -> None:
    page = open_page()
    page.tab.goto(site_url)
    search_ready(page.tab)
    page.tab.fill(SEARCH, OFFER)
    wait_for_members(page.tab, lambda s: OFFERER in s and len(s) < len(MEMBERS))
    page.tab.wait_for_load_state("networkidle")
    assert page.errors == []


def test_a_profile_page_logs_no_errors(open_page, site_url: str) -> None:
    page = open_page()
    page.tab.goto(f"{site_url}members/{EMAILER}/")
    page.tab.wait_for_load_state("networkidle")
    assert page.errors == []


def test_show_email_address_reveals_a_mailto_link(open_page, root_url: str) -> None:
    tab = open_page().tab
    tab.goto(f"{root_url}members/{EMAILER}/")
    tab.get_by_role("button", name="Show email address").click()
    link = tab.get_by_role("link", name=EMAIL)
    assert link.get_attribute("href", timeout=WAIT_MS) == f"mailto:{EMAIL}"


def test_without_javascript_the_home_page_lists_and_links_every_member(open_page, root_url: str) -> None:
    page = open_page(java_script_enabled=False)
    page.tab.goto(root_url)
    assert visible_members(page.tab) == {m.handle for m in MEMBERS}


def test_without_javascript_the_search_form_stays_hidden(open_page, root_url: str) -> None:
    # A search box that cannot search would only mislead: the list is the directory then.
    page = open_page(java_script_enabled=False)
    page.tab.goto(root_url)
    assert not page.tab.locator(SEARCH).is_visible()


PAGES = {"home": "", "profile": f"members/{OFFERER}/", "topic": "topics/", "a topic": "topics/geothermal-energy/",
         "about": "about/", "404": "404.html"}  # the network pages have theirs in test_browser_network.py


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_accessibility_violations(open_page, root_url: str, name: str, scheme: str) -> None:
    require(AXE.is_file(), f"{AXE} is missing (run scripts/setup-tests)")
    tab = open_page(bypass_csp=True, color_scheme=scheme).tab  # the site's CSP would refuse axe's injected script
    response = tab.goto(root_url + PAGES[name])
    assert response is not None and response.ok
    if name == "home":
        search_ready(tab)
    tab.add_script_tag(path=str(AXE))
    result = tab.evaluate(AXE_RUN)
    violations = [f"{v['id']} ({v['impact']}): {v['help']}: "
                  + json.dumps([n["target"] for n in v["nodes"]][:5]) for v in result["violations"]]
    assert not violations, "\n".join(violations)


def test_axe_finds_no_violations_in_search_results(open_page, root_url: str) -> None:
    require(AXE.is_file(), f"{AXE} is missing (run scripts/setup-tests)")
    tab = open_page(bypass_csp=True).tab
    tab.goto(root_url)
    search_ready(tab)
    tab.fill(SEARCH, QUERY)
    wait_for_members(tab, lambda s: 0 < len(s) < len(MEMBERS))
    check_filter(tab, "field", FIELD)
    wait_for_members(tab, lambda s: s <= FIELD_MEMBERS)
    tab.add_script_tag(path=str(AXE))
    result = tab.evaluate(AXE_RUN)
    assert [v["id"] for v in result["violations"]] == []


PHONE = {"width": 390, "height": 800}


def test_on_a_phone_the_site_nav_is_one_row(open_page, root_url: str) -> None:
    tab = open_page(viewport=PHONE).tab
    tab.goto(root_url)
    tops = tab.locator(".site-nav li").evaluate_all("items => items.map(li => li.getBoundingClientRect().top)")
    assert len(tops) > 5 and len(set(tops)) == 1, tops


def open_filter(tab: object, group: str) -> object:
    """Open the filter list of a group (by clicking its summary); returns its <details>."""
    details = tab.locator("details.filter", has=tab.locator(f"input[name='{group}']"))  # type: ignore[attr-defined]
    details.locator("summary").click()
    tab.locator(f"input[name='{group}']").first.wait_for(state="visible")  # type: ignore[attr-defined]
    return details


def is_open(details: object) -> bool:
    return details.evaluate("d => d.open")  # type: ignore[attr-defined]


def test_escape_closes_a_filter_list_and_returns_focus_to_its_button(open_page, root_url: str) -> None:
    tab = open_page().tab
    tab.goto(root_url)
    search_ready(tab)
    details = open_filter(tab, "field")
    tab.locator(f"input[name='field'][value='{FIELD}']").focus()
    tab.keyboard.press("Escape")
    assert not is_open(details)
    assert details.locator("summary").evaluate("s => s === document.activeElement")


def test_a_click_outside_a_filter_list_closes_it(open_page, root_url: str) -> None:
    tab = open_page().tab
    tab.goto(root_url)
    search_ready(tab)
    details = open_filter(tab, "field")
    tab.locator("h1").click()
    assert not is_open(details)


def test_an_open_filter_list_shows_the_count_it_covers(open_page, root_url: str) -> None:
    tab = open_page().tab
    tab.goto(root_url)
    search_ready(tab)
    details = open_filter(tab, "field")
    tab.locator(f"input[name='field'][value='{FIELD}']").check()
    wait_for_members(tab, lambda s: s == FIELD_MEMBERS)
    copy = details.locator(".filter-status")
    assert is_open(details) and copy.is_visible()
    assert copy.inner_text() == tab.locator("#search-status").inner_text() == \
        f"Showing {len(FIELD_MEMBERS)} members of {len(MEMBERS)}"


def test_on_a_topic_page_an_offers_detail_is_no_larger_than_the_headline_above_it(open_page, root_url: str) -> None:
    tab = open_page().tab
    tab.goto(root_url + "topics/grant-writing/")
    size = "e => parseFloat(getComputedStyle(e).fontSize)"
    person = tab.locator(".person", has=tab.locator(".help-detail")).first
    assert person.locator(".help-detail").evaluate(size) <= person.locator(".person-headline").evaluate(size)


def test_on_a_wide_screen_a_profiles_connections_sit_beside_its_bio(open_page, root_url: str) -> None:
    tab = open_page(viewport={"width": 1280, "height": 900}).tab
    tab.goto(f"{root_url}members/{EMAILER}/")
    bio, connections = (tab.locator(s).bounding_box() for s in (".bio", ".connections"))
    assert bio and connections
    assert connections["x"] >= bio["x"] + bio["width"] and connections["y"] < bio["y"] + bio["height"]
