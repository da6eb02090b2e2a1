"""SVG pictures: valid XML, escaped text, a text alternative, nothing private."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from generator.introductions import reach
from generator.pictures import PALETTE, circle_svg, legend, network_svg
from tests.network_helpers import community, index, member

SVG = "{http://www.w3.org/2000/svg}"


def sample():
    return community(member("ada", knows=["bob"], fields=["maths"], name="Ada <b>&"),
                     member("bob", knows=["ada", "cy"], fields=["art"]), member("cy", knows=["bob", "dee"]),
                     member("dee", name="Dee Pending"))


def tips(svg: str) -> list[str]:
    """The tooltip of every member drawn."""
    return [g.find(f"{SVG}title").text for g in ET.fromstring(svg).iter(f"{SVG}g") if g.find(f"{SVG}title") is not None]


def test_the_network_picture_is_well_formed_with_escaped_names():
    root = ET.fromstring(network_svg(sample(), index(sample())))
    assert "Ada <b>&" in [t.text for t in root.iter(f"{SVG}text")]


def test_the_network_picture_is_an_image_labelled_by_its_title_and_description():
    root = ET.fromstring(network_svg(sample(), index(sample()), ident="net"))
    assert root.get("role") == "img" and root.get("aria-labelledby") == "net-title net-desc"
    assert root.find(f"{SVG}title").text and "4 members" in root.find(f"{SVG}desc").text


def test_the_pictures_hold_no_links_to_tab_through():
    c = sample()
    ix = index(c)
    for svg in (network_svg(c, ix), circle_svg(c, ix, "ada", reach(ix, "ada").suggestions)):
        assert not list(ET.fromstring(svg).iter(f"{SVG}a"))


def test_the_network_picture_draws_confirmed_connections_only():
    root = ET.fromstring(network_svg(sample(), index(sample())))
    assert len(list(root.iter(f"{SVG}line"))) == 2  # ada-bob, bob-cy; cy's claim on dee is pending


def test_the_same_community_gives_the_same_picture():
    assert network_svg(sample(), index(sample())) == network_svg(sample(), index(sample()))


def test_a_circle_shows_connections_and_people_one_introduction_away_only():
    c = sample()
    ix = index(c)
    drawn = tips(circle_svg(c, ix, "ada", reach(ix, "ada").suggestions))
    assert sorted(t.split(" — ")[0] for t in drawn) == ["Ada <b>&", "Bob", "Cy"]
    assert "Cy — one introduction away, through Bob" in drawn


def test_the_commonest_main_fields_get_colours_and_the_rest_share_grey():
    c = community(*(member(f"m{i:02d}", fields=[f"field {i % 12}"]) for i in range(24)))
    entries = legend(c)
    assert [e.colour for e in entries[:-1]] == list(PALETTE)
    assert entries[-1].field == "" and len(entries[-1].handles) == 4
