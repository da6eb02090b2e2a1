"""The introductions, path and network pages as a visitor reads them; what they never show."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup

from conftest import profile
from generator.community import load_community
from generator.graph import build_network
from generator.render import SiteInput, render_site
from generator.theme import load_theme

# ada - charles - grace, charles - linus - mary; mary does not introduce; nora knows nobody.
# ada lists pat, who does not list her back: pending, and never shown or used.
COMMUNITY = {
    "content/members/ada.md": profile("Ada Lovelace", connections="[charles, pat]", asks="[compiler design]",
                                      offers="[proof review]", fields="[mathematics]"),
    "content/members/charles.md": profile("Charles Babbage", connections="[ada, grace, linus]"),
    "content/members/grace.md": profile("Grace Hopper", connections="[charles, mary]", offers="[compiler design]",
                                        asks="[proof review, typesetting]"),
    "content/members/linus.md": profile("Linus Pauling", connections="[charles, mary]", fields="[mathematics]"),
    "content/members/mary.md": profile("Mary Somerville", connections="[linus, grace]", introductions="false"),
    "content/members/nora.md": profile("Nora Alone", asks="[bookbinding]"),
    "content/members/pat.md": profile("Pat Pending"),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    root = tmp_path_factory.mktemp("network")
    for rel, text in COMMUNITY.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    loaded = load_community(root)
    assert not loaded.errors, loaded.errors
    c = loaded.community
    return dict(render_site(SiteInput(c, build_network(c), load_theme(root, c.config.theme), "/")))


def page(site: dict[str, bytes], path: str) -> BeautifulSoup:
    return BeautifulSoup(site[path].decode("utf-8"), "html.parser")


def section(site: dict[str, bytes], path: str, heading_id: str) -> BeautifulSoup:
    return page(site, path).find(id=heading_id).find_parent("section")


def text(node: BeautifulSoup) -> str:
    return " ".join(node.get_text().split())


def test_the_profile_suggests_people_with_introducers_and_the_reason(site):
    people = section(site, "members/ada/index.html", "people-you-could-meet")
    assert ("Grace Hopper offers compiler design, which you ask for, and asks for proof review, which you offer; "
            "Charles Babbage can introduce you.") in text(people)


def test_the_profile_lists_introductions_the_member_could_make(site):
    made = section(site, "members/charles/index.html", "introductions-you-could-make")
    assert "Introduce Ada Lovelace and Grace Hopper" in text(made)


def test_a_member_who_does_not_introduce_is_never_named_as_an_introducer(site):
    for path in ("members/linus/index.html", "members/linus/introductions/index.html", "introductions/index.html"):
        for reason in page(site, path).select(".reason, .matches li, .detail"):
            assert "Mary Somerville can introduce" not in text(reason)
            assert "mary" not in [a["href"].strip("/").split("/")[-1] for a in reason.find_all("a")][1:]


def test_a_member_who_does_not_introduce_says_so_instead_of_introductions(site):
    made = section(site, "members/mary/index.html", "introductions-you-could-make")
    assert "prefers not to make introductions" in text(made)


def test_a_pending_claim_is_shown_on_neither_member_s_pages(site):
    for path in ("members/ada/index.html", "members/ada/introductions/index.html"):
        assert b"Pat Pending" not in site[path], path
    for path in ("members/pat/index.html", "members/pat/introductions/index.html"):
        assert b"Ada Lovelace" not in site[path], path


def test_the_member_introductions_page_lists_everyone_with_introducer_strengths(site):
    people = section(site, "members/ada/introductions/index.html", "people-you-could-meet")
    assert [a.get_text() for a in people.select(".person-name")] == ["Grace Hopper", "Linus Pauling"]
    assert "Can introduce you: Charles Babbage acquaintance" in text(people)


def test_the_introductions_page_shows_best_matches_and_asks_nobody_offers(site):
    best = text(section(site, "introductions/index.html", "best-matches"))
    assert "Ada Lovelace asks for it; Grace Hopper offers it, and Charles Babbage can introduce them." in best
    unmet = text(section(site, "introductions/index.html", "asks-nobody-offers"))
    assert "bookbinding — asked by Nora Alone" in unmet and "typesetting — asked by Grace Hopper" in unmet


def test_the_network_page_counts_and_welcomes(site):
    numbers = {text(d.dt): text(d.dd) for d in section(site, "network/index.html", "in-numbers").select("dl div")}
    assert (numbers["Members"], numbers["Confirmed connections"], numbers["Waiting to be listed back"]) == ("7", "5", "1")
    welcome = text(section(site, "network/index.html", "welcome"))
    assert "Nora Alone" in welcome and "Pat Pending" in welcome and "Ada" not in welcome


def test_the_network_page_draws_the_network_with_a_text_alternative(site):
    picture = section(site, "network/index.html", "picture")
    svg = picture.find("svg", class_="network-picture")
    assert svg["role"] == "img" and svg.find("title") and svg.find("desc")
    assert "Grace Hopper" in text(picture.find("details"))


def test_each_profile_has_its_circle_and_a_link_to_find_a_chain(site):
    circle = section(site, "members/ada/index.html", "circle-heading")
    assert circle.find("svg", class_="circle-picture")["role"] == "img"
    assert circle.find("a", href="/path/?from=ada")


def test_the_path_page_explains_itself_without_javascript(site):
    p = page(site, "path/index.html")
    assert p.find(id="path-form").has_attr("hidden")
    assert p.find(id="path-nojs").find("a", href="/")


def test_the_graph_file_lists_confirmed_connections_only(site):
    data = json.loads(site["graph.json"])
    ids = {h: i for i, h in enumerate(data["handles"])}
    edges = set()
    for i, gaps in enumerate(data["adj"]):
        j = i
        for gap in gaps:
            j += gap
            edges.add((data["handles"][i], data["handles"][j]))
    assert edges == {("ada", "charles"), ("charles", "grace"), ("charles", "linus"), ("grace", "mary"),
                     ("linus", "mary")}
    assert data["names"][ids["ada"]] == "Ada Lovelace"


def test_hop_contexts_hold_no_pending_claim(site):
    contexts = json.loads(site["graph/contexts-0.json"])
    assert "pat" not in contexts["ada"]
