"""SVG pictures: valid XML, escaped text, a text alternative, nothing private."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from generator.introductions import reach
from generator.pictures import circle_svg, network_svg
from tests.network_helpers import community, index, member

SVG = "{http://www.w3.org/2000/svg}"


def sample():
    return community(member("ada", knows=["bob"], fields=["maths"], name="Ada <b>&"),
                     member("bob", knows=["ada", "cy"], fields=["art"]), member("cy", knows=["bob", "dee"]),
                     member("dee", name="Dee Pending"))


def href(handle):
    return f"/members/{handle}/"


def test_the_network_picture_is_well_formed_with_escaped_names():
    root = ET.fromstring(network_svg(sample(), index(sample()), href))
    names = [t.text for t in root.iter(f"{SVG}text")]
    assert "Ada <b>&" in names


def test_the_network_picture_has_a_title_and_description_it_is_labelled_by():
    root = ET.fromstring(network_svg(sample(), index(sample()), href, ident="net"))
    assert root.get("role") == "img" and root.get("aria-labelledby") == "net-title net-desc"
    assert root.find(f"{SVG}title").text and "4 members" in root.find(f"{SVG}desc").text


def test_the_network_picture_draws_confirmed_connections_only():
    root = ET.fromstring(network_svg(sample(), index(sample()), href))
    assert len(list(root.iter(f"{SVG}line"))) == 2  # ada-bob, bob-cy; cy's claim on dee is pending


def test_the_same_community_gives_the_same_picture():
    assert network_svg(sample(), index(sample()), href) == network_svg(sample(), index(sample()), href)


def test_a_circle_shows_connections_and_people_one_introduction_away():
    c = sample()
    ix = index(c)
    root = ET.fromstring(circle_svg(c, ix, "ada", reach(ix, "ada").suggestions, href))
    links = [a.get("href") for a in root.iter(f"{SVG}a")]
    assert sorted(links) == ["/members/ada/", "/members/bob/", "/members/cy/"]
    assert "Dee Pending" not in ET.tostring(root, encoding="unicode")
