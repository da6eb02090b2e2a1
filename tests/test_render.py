"""Rendering: what each page shows, what it never shows, and where its links point. No disk writes."""

from __future__ import annotations

import html
import re
import json
import urllib.parse
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import WriteCommunity, profile
from generator.avatars import initials
from generator.community import load_community
from generator.contact import hide_email, reveal_email
from generator.dates import readable_date
from generator.errors import CheckFailed, ConnectoryError
from generator.graph import build_network
from generator.models import Member, reading_key
from generator.render import SiteInput, normalise_base_url, render_site
from generator.schema import schema_text
from generator.theme import load_theme

ADA = """\
---
name: Ada Lovelace
headline: Mathematician
location: London, UK
fields: [mathematics]
interests: [poetry]
offers:
  - topic: proof review
    detail: I read drafts within a week.
asks: [funding]
open_to: [coffee chats]
connections:
  - handle: charles
    context: We wrote the engine notes together.
    strength: close
  - grace
email: ada.secret@example.org
contact: Message me on the community chat.
links:
  website: https://ada.example.org
joined: 2026-03-14
---
Writes about **engines**.
"""
CHARLES = profile("Charles Babbage", connections="[ada]", joined="2026-05-01", fields="[engineering]")
GRACE = profile("Grace Hopper", offers="[compilers]")  # Ada lists Grace; Grace does not list Ada: pending


def build(root: Path, base_url: str = "/") -> dict[str, bytes]:
    loaded = load_community(root)
    assert not loaded.errors, loaded.errors
    community = loaded.community
    site = SiteInput(community, build_network(community), load_theme(root, community.config.theme), base_url)
    return dict(render_site(site))


@pytest.fixture
def community(write_community: WriteCommunity) -> Path:
    return write_community({"content/members/ada.md": ADA, "content/members/charles.md": CHARLES,
                            "content/members/grace.md": GRACE,
                            "content/pages/about.md": "---\ntitle: About us\n---\n## Joining\n\nOpen a pull request.\n"})


@pytest.fixture
def site(community: Path) -> dict[str, bytes]:
    return build(community)


def page(site: dict[str, bytes], path: str) -> BeautifulSoup:
    return BeautifulSoup(site[path].decode("utf-8"), "html.parser")


def test_every_kind_of_page_is_rendered(site: dict[str, bytes]) -> None:
    for path in ("index.html", "members/ada/index.html", "topics/index.html", "topics/proof-review/index.html",
                 "about/index.html", "404.html", "robots.txt", "feed.xml", "schema/profile.json",
                 "assets/style.css", "avatars/ada.svg"):
        assert path in site, path


def test_the_home_page_links_every_member_without_javascript(site: dict[str, bytes]) -> None:
    cards = page(site, "index.html").select("#cards .card-name a")
    assert [a["href"] for a in cards] == ["/members/ada/", "/members/charles/", "/members/grace/"]


def test_a_card_shows_headline_location_fields_and_offers(site: dict[str, bytes]) -> None:
    card = page(site, "index.html").select_one('[data-url="/members/ada/"]')
    text = card.get_text(" ", strip=True)
    for part in ("Ada Lovelace", "Mathematician", "London, UK", "mathematics", "proof review"):
        assert part in text


def test_the_email_address_is_in_no_output_in_any_common_encoding(site: dict[str, bytes]) -> None:
    email = "ada.secret@example.org"
    forms = {email, html.escape(email), urllib.parse.quote(email), email.replace("@", "&#64;"),
             email.replace("@", "&#x40;"), "ada.secret"}
    for path, data in site.items():
        text = data.decode("utf-8", errors="ignore")
        for form in forms:
            assert form not in text, f"{form!r} in {path}"


def test_the_hidden_email_reveals_the_address(site: dict[str, bytes]) -> None:
    button = page(site, "members/ada/index.html").select_one("button[data-code]")
    assert reveal_email(hide_email("ada", "ada.secret@example.org")) == "ada.secret@example.org"
    assert button["data-code"] == hide_email("ada", "ada.secret@example.org").code


def test_confirmed_connections_are_shown_with_their_context(site: dict[str, bytes]) -> None:
    connections = page(site, "members/ada/index.html").select_one("section.connections")
    assert [a["href"] for a in connections.select("a.person-name")] == ["/members/charles/"]
    assert "We wrote the engine notes together." in connections.get_text()


def test_pending_connections_are_shown_on_neither_profile(site: dict[str, bytes]) -> None:
    ada = page(site, "members/ada/index.html").select_one("section.connections")
    grace = page(site, "members/grace/index.html").select_one("section.connections")
    assert "/members/grace/" not in str(ada)
    assert "/members/ada/" not in str(grace)


def test_topics_link_to_their_pages_and_are_search_filters(site: dict[str, bytes]) -> None:
    profile_page = page(site, "members/ada/index.html")
    offer = profile_page.select_one('[data-pagefind-filter="offers"]')
    assert offer["href"] == "/topics/proof-review/" and offer.text == "proof review"
    filters = {(e["data-pagefind-filter"], e.get_text()) for e in profile_page.select("[data-pagefind-filter]")}
    assert filters == {("field", "mathematics"), ("interest", "poetry"), ("offers", "proof review"),
                       ("asks", "funding"), ("open_to", "coffee chats"), ("location", "London, UK")}


def test_only_member_pages_are_indexed_by_search(site: dict[str, bytes]) -> None:
    indexed = sorted(p for p, data in site.items() if p.endswith(".html") and b"data-pagefind-body" in data)
    assert indexed == ["members/ada/index.html", "members/charles/index.html", "members/grace/index.html"]


def test_a_topic_page_lists_who_offers_with_the_detail(site: dict[str, bytes]) -> None:
    topic = page(site, "topics/proof-review/index.html")
    assert topic.h1.text == "proof review"
    assert "I read drafts within a week." in topic.get_text()


def test_member_links_are_rel_me_nofollow_ugc_noopener(site: dict[str, bytes]) -> None:
    link = page(site, "members/ada/index.html").select_one("section.links a")
    assert link["href"] == "https://ada.example.org" and link["rel"] == ["me", "nofollow", "ugc", "noopener"]


def test_profile_is_an_h_card_with_json_ld_person(site: dict[str, bytes]) -> None:
    profile_page = page(site, "members/ada/index.html")
    assert profile_page.select_one(".h-card .p-name").text == "Ada Lovelace"
    person = json.loads(profile_page.select_one('script[type="application/ld+json"]').string)
    assert person["@type"] == "Person" and person["name"] == "Ada Lovelace"
    assert person["knows"] == [{"@type": "Person", "name": "Charles Babbage", "url": "/members/charles/"}]
    assert "email" not in person


def test_each_page_has_one_h1(site: dict[str, bytes]) -> None:
    for path, data in site.items():
        if path.endswith(".html"):
            assert len(BeautifulSoup(data, "html.parser").find_all("h1")) == 1, path


def test_front_matter_text_is_escaped(write_community: WriteCommunity) -> None:
    root = write_community({"content/members/eve.md": profile(
        "Eve </script><script>alert(1)</script>", headline='"<img src=x onerror=alert(1)>"')})
    site = build(root)
    member = page(site, "members/eve/index.html")
    assert not member.find("img", src="x")
    assert [s.get("src") for s in member.find_all("script") if not s.get("type")] == ["/assets/reveal.js"]
    assert json.loads(member.select_one('script[type="application/ld+json"]').string)["name"].startswith("Eve </script>")


def test_the_bio_is_rendered_from_markdown(site: dict[str, bytes]) -> None:
    assert page(site, "members/ada/index.html").select_one("section.bio strong").text == "engines"


def test_organisers_pages_render_with_headings_under_the_title(site: dict[str, bytes]) -> None:
    about = page(site, "about/index.html")
    assert about.h1.text == "About us" and about.h2.text == "Joining"
    assert about.select_one('nav a[href="/about/"]')["aria-current"] == "page"


def test_sub_path_base_url_prefixes_every_internal_link(community: Path) -> None:
    site = build(community, "https://example.org/community/")
    for path, data in site.items():
        if not path.endswith(".html"):
            continue
        for element in BeautifulSoup(data, "html.parser").find_all(href=True) + \
                BeautifulSoup(data, "html.parser").find_all(src=True):
            url = element.get("href") or element.get("src")
            if url.startswith("/"):
                assert url.startswith("/community/"), f"{url} in {path}"


def test_without_a_host_in_the_base_url_there_is_no_sitemap(site: dict[str, bytes]) -> None:
    # The sitemap protocol takes absolute URLs only: a sitemap of paths would be rejected by crawlers.
    assert "sitemap.xml" not in site
    assert b"sitemap" not in site["robots.txt"].lower()


def test_sub_path_sitemap_feed_and_canonical_are_absolute(community: Path) -> None:
    site = build(community, "https://example.org/community/")
    assert b"<loc>https://example.org/community/members/ada/</loc>" in site["sitemap.xml"]
    assert b'href="https://example.org/community/members/ada/"' in site["feed.xml"]
    assert b"Sitemap: https://example.org/community/sitemap.xml" in site["robots.txt"]
    canonical = page(site, "members/ada/index.html").select_one('link[rel="canonical"]')["href"]
    assert canonical == "https://example.org/community/members/ada/"


def test_a_path_base_url_gives_root_relative_links_and_no_canonical(community: Path) -> None:
    site = build(community, "/community/")
    ada = page(site, "members/ada/index.html")
    assert ada.select_one("a.u-url")["href"] == "/community/members/ada/"
    assert ada.select_one('link[rel="canonical"]') is None


def test_the_feed_is_dated_by_the_newest_joined_member(site: dict[str, bytes]) -> None:
    feed = site["feed.xml"].decode()
    assert "<updated>2026-05-01T00:00:00Z</updated>" in feed
    assert feed.index("Charles Babbage") < feed.index("Ada Lovelace")  # newest first
    assert "Grace Hopper" not in feed  # no joined date


def test_the_published_schema_is_the_packaged_one_byte_for_byte(site: dict[str, bytes]) -> None:
    assert site["schema/profile.json"] == schema_text("profile").encode("utf-8")


def test_a_members_own_avatar_is_copied_under_its_sniffed_type(write_community: WriteCommunity) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + (8).to_bytes(4, "big") * 2 + b"\x08\x02\x00\x00\x00"
    root = write_community({"content/members/ada.md": profile("Ada", avatar="avatars/ada.dat"),
                            "content/avatars/ada.dat": png})
    loaded = load_community(root)
    site = dict(render_site(SiteInput(loaded.community, build_network(loaded.community), load_theme(root), "/",
                                      {"ada": png})))
    assert site["avatars/ada.png"] == png
    assert page(site, "members/ada/index.html").select_one("img.avatar")["src"] == "/avatars/ada.png"


def test_generated_avatars_escape_the_initials(write_community: WriteCommunity) -> None:
    site = build(write_community({"content/members/amp.md": profile("'<&>'")}))
    text = site["avatars/amp.svg"].decode().split("<text", 1)[1].split(">", 1)[1].split("</text>")[0]
    assert text == "&lt;"


@pytest.mark.parametrize(("name", "expected"), [
    ("Ada Lovelace", "AL"), ("Ada", "A"), ("Ada (Countess) Augusta Lovelace", "AL"), ("'Bob' O'Neil", "BO"),
    ("Élodie Ñúñez", "ÉÑ"), ("李小龙", "李"), ("...", "."),
])
def test_initials(name: str, expected: str) -> None:
    assert initials(name) == expected


def test_draft_pages_are_kept_out_of_the_sitemap(write_community: WriteCommunity) -> None:
    root = write_community({"content/members/ada.md": profile("Ada", draft="true"),
                            "content/members/bob.md": profile("Bob")})
    loaded = load_community(root, drafts=True)
    site = dict(render_site(SiteInput(loaded.community, build_network(loaded.community), load_theme(root),
                                      "https://example.org/")))
    assert "members/ada/index.html" in site
    assert b"/members/ada/" not in site["sitemap.xml"] and b"/members/bob/" in site["sitemap.xml"]


def test_a_theme_template_overrides_the_default_and_can_extend_it(write_community: WriteCommunity) -> None:
    root = write_community({
        "content/site.yaml": "theme: warm\n",
        "content/members/ada.md": profile("Ada"),
        "themes/warm/templates/member.html":
            '{% extends "default/member.html" %}{% block content %}<p class="warm">Hi</p>{{ super() }}{% endblock %}',
        "themes/warm/templates/404.html": "<!DOCTYPE html><title>gone</title><p>Nothing here</p>",
    })
    site = build(root)
    member = page(site, "members/ada/index.html")
    assert member.select_one("p.warm").text == "Hi" and member.h1.text == "Ada"
    assert site["404.html"].startswith(b"<!DOCTYPE html><title>gone</title>")


def test_theme_assets_override_file_by_file(write_community: WriteCommunity) -> None:
    root = write_community({"content/site.yaml": "theme: warm\n", "content/members/ada.md": profile("Ada"),
                            "themes/warm/assets/style.css": "body { color: brown; }\n",
                            "themes/warm/assets/extra/logo.txt": "logo"})
    site = build(root)
    assert site["assets/style.css"] == b"body { color: brown; }\n"
    assert site["assets/extra/logo.txt"] == b"logo"
    assert b"pagefind" in site["assets/search.js"]  # still the default's


def test_a_theme_without_a_folder_is_a_problem_on_site_yaml(write_community: WriteCommunity) -> None:
    root = write_community({"content/site.yaml": "theme: missing\n"})
    with pytest.raises(CheckFailed) as failed:
        load_theme(root, "missing")
    assert failed.value.problems[0].file == "content/site.yaml"
    assert failed.value.problems[0].field == "theme"


@pytest.mark.parametrize(("given", "expected"), [
    ("/", "/"), ("/community", "/community/"), ("https://example.org", "https://example.org/"),
    ("https://example.org/community", "https://example.org/community/"),
    ("example.org", None), ("//example.org/", None), ("ftp://example.org/", None), ("/a b/", None),
    ("https://example.org/?x=1", None),
])
def test_base_urls_are_normalised_or_refused(given: str, expected: str | None) -> None:
    assert normalise_base_url(given) == expected


def test_two_renders_are_identical(community: Path) -> None:
    assert build(community) == build(community)


def test_the_404_page_marks_no_section_as_current(site: dict[str, bytes]) -> None:
    assert page(site, "404.html").select("[aria-current]") == []


def test_search_results_carry_the_name_and_avatar_as_metadata(site: dict[str, bytes]) -> None:
    profile_page = page(site, "members/ada/index.html")
    assert profile_page.select_one('[data-pagefind-meta="name"]').text == "Ada Lovelace"
    assert profile_page.select_one('[data-pagefind-meta="image[src]"]')["src"] == "/avatars/ada.svg"


@pytest.mark.parametrize(("template", "says"), [
    ("{% block content %}{{ no_such_name }}{% endblock %}", "member.html:1: 'no_such_name' is undefined"),
    ("{% block content %}{% if %}{% endblock %}", "member.html:1: Expected an expression"),
    ('{% extends "missing.html" %}', "no template 'missing.html'"),
])
def test_a_broken_theme_template_is_an_error_naming_file_and_line(write_community: WriteCommunity, template: str,
                                                                   says: str) -> None:
    root = write_community({"content/site.yaml": "theme: broken\n", "content/members/ada.md": profile("Ada"),
                            "themes/broken/templates/member.html": template})
    with pytest.raises(ConnectoryError, match=re.escape(says)):
        build(root)


# Handles are transliterations: in handle order these names read as shuffled.
BY_NAME = {"content/members/a-zed.md": profile("Zoë Zed", fields="[maths]", connections="[b-ana, c-emile, d-lukasz]"),
           "content/members/b-ana.md": profile("Анна Иванова", fields="[maths]", connections="[a-zed]"),
           "content/members/c-emile.md": profile("Émile Amy", fields="[maths]", connections="[a-zed]"),
           "content/members/d-lukasz.md": profile("Łukasz Lis", fields="[maths]", connections="[a-zed]")}
NAME_ORDER = ["Émile Amy", "Łukasz Lis", "Zoë Zed", "Анна Иванова"]


def test_the_directory_lists_members_by_name_not_handle(write_community: WriteCommunity) -> None:
    site = build(write_community(BY_NAME))
    assert [a.get_text() for a in page(site, "index.html").select("#cards .card-name a")] == NAME_ORDER


def test_a_topic_page_lists_members_by_name(write_community: WriteCommunity) -> None:
    site = build(write_community(BY_NAME))
    names = [a.get_text() for a in page(site, "topics/maths/index.html").select(".person-name")]
    assert names == NAME_ORDER


def test_a_profiles_connections_are_listed_by_name(write_community: WriteCommunity) -> None:
    site = build(write_community(BY_NAME))
    names = [a.get_text() for a in page(site, "members/a-zed/index.html").select(".connections .person-name")]
    assert names == ["Émile Amy", "Łukasz Lis", "Анна Иванова"]


@pytest.mark.parametrize(("first", "second"), [("ada", "Ben"), ("Émile", "Eva"), ("Łukasz", "Luz"), ("Ødegaard", "Olsen"),
                                               ("Zoë", "Ελένη"), ("Same", "Same")])
def test_reading_order_sets_case_and_accents_aside(first: str, second: str) -> None:
    a, b = Member("a", first, "a.md"), Member("b", second, "b.md")
    assert sorted([b, a], key=reading_key) == [a, b]


def test_member_since_is_a_readable_date_in_a_time_element(site: dict[str, bytes]) -> None:
    joined = page(site, "members/ada/index.html").select_one(".joined time")
    assert (joined["datetime"], joined.get_text()) == ("2026-03-14", "14 March 2026")


@pytest.mark.parametrize(("iso", "readable"), [("2025-11-18", "18 November 2025"), ("2025-01-05", "5 January 2025"),
                                               ("2022-03", "March 2022"), ("1833", "1833"), ("2025-13-01", "2025-13-01")])
def test_readable_dates_name_the_month_in_english(iso: str, readable: str) -> None:
    assert readable_date(iso) == readable
