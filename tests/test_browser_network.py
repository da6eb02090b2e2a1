"""/path/, /network/ and the introductions pages of the built example in Chromium."""

from __future__ import annotations

import json

import pytest

from conftest import require
from generator.community import load_community
from generator.network_report import prepare
from generator.paths import shortest_chain
from site_helpers import EXAMPLE
from test_browser import AXE, AXE_RUN, WAIT_MS, browser, open_page, root_url, sub_url  # noqa: F401 - fixtures

NETWORK = prepare(load_community(EXAMPLE).community)
FAR = ("emilie-lefevre", "jose-luis-ramirez")  # four degrees apart
APART = ("aisha-bello", "kai-nakamura-brooks")  # in different groups


def chain_shown(tab: object) -> list[str]:
    """The handles of the chain the page shows, in order."""
    tab.wait_for_selector("#path-result:not([hidden]) li", timeout=WAIT_MS)  # type: ignore[attr-defined]
    hrefs = tab.locator("#path-result li > a").evaluate_all(  # type: ignore[attr-defined]
        "links => links.map(a => a.getAttribute('href'))")
    return [h.rstrip("/").split("/")[-1] for h in hrefs]


@pytest.fixture(params=["root", "sub-path"])
def site_url(request: pytest.FixtureRequest) -> str:
    return request.getfixturevalue("root_url" if request.param == "root" else "sub_url")


def test_a_shared_link_shows_the_same_chain_as_connectory_path(open_page, site_url: str) -> None:
    page = open_page()
    page.tab.goto(f"{site_url}path/?from={FAR[0]}&to={FAR[1]}")
    assert chain_shown(page.tab) == list(shortest_chain(NETWORK.index, *FAR))
    assert "4 degrees apart" in page.tab.locator("#path-status").inner_text()
    assert not page.errors


def test_each_hop_shows_how_the_two_know_each_other(open_page, root_url: str) -> None:
    page = open_page()
    page.tab.goto(f"{root_url}path/?from={FAR[0]}&to={FAR[1]}")
    chain_shown(page.tab)
    first = page.tab.locator("#path-result .hop").first.inner_text()
    second = shortest_chain(NETWORK.index, *FAR)[1]
    context = next(c.context for c in NETWORK.network.connections[FAR[0]] if c.handle == second)
    assert context in first


def test_typing_two_names_finds_the_chain_and_makes_the_url_shareable(open_page, root_url: str) -> None:
    page = open_page()
    page.tab.goto(f"{root_url}path/")
    page.tab.fill("#path-from", "Émilie")
    page.tab.fill("#path-to", "José Luis")
    page.tab.click("#path-form button[type=submit]")
    assert chain_shown(page.tab) == list(shortest_chain(NETWORK.index, *FAR))
    assert page.tab.url.endswith(f"path/?from={FAR[0]}&to={FAR[1]}")


def test_members_with_no_chain_are_told_so(open_page, root_url: str) -> None:
    page = open_page()
    page.tab.goto(f"{root_url}path/?from={APART[0]}&to={APART[1]}")
    page.tab.wait_for_function("(document.getElementById('path-status')?.textContent ?? '').includes('No chain')",
                               timeout=WAIT_MS)
    assert page.tab.locator("#path-result").is_hidden()


def test_the_graph_file_loads_only_when_someone_starts_picking(open_page, root_url: str) -> None:
    page = open_page()
    fetched: list[str] = []
    page.tab.on("request", lambda r: fetched.append(r.url))
    page.tab.goto(f"{root_url}path/")
    page.tab.wait_for_load_state("networkidle")
    assert not any(u.endswith("graph.json") for u in fetched)
    with page.tab.expect_response(lambda r: r.url.endswith("graph.json")):
        page.tab.focus("#path-from")


def test_without_javascript_the_path_page_explains_and_links_to_members(open_page, root_url: str) -> None:
    page = open_page(java_script_enabled=False)
    page.tab.goto(f"{root_url}path/")
    assert page.tab.locator("#path-form").is_hidden()
    assert page.tab.locator("#path-nojs a").first.get_attribute("href") == "/"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["network/", "introductions/", f"path/?from={FAR[0]}&to={FAR[1]}",
                                  "members/zoe-odegaard/introductions/"])
def test_axe_finds_no_accessibility_violations(open_page, root_url: str, path: str, scheme: str) -> None:
    require(AXE.is_file(), f"{AXE} is missing (run scripts/setup-tests)")
    tab = open_page(bypass_csp=True, color_scheme=scheme).tab  # the site's CSP would refuse axe's injected script
    response = tab.goto(root_url + path)
    assert response is not None and response.ok
    if path.startswith("path/"):
        chain_shown(tab)
    tab.add_script_tag(path=str(AXE))
    result = tab.evaluate(AXE_RUN)
    violations = [f"{v['id']} ({v['impact']}): {v['help']}: "
                  + json.dumps([n["target"] for n in v["nodes"]][:5]) for v in result["violations"]]
    assert not violations, "\n".join(violations)
