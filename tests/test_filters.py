"""The introductions lists' filters say what the macros they replace said, escaped the same way."""

from __future__ import annotations

from types import SimpleNamespace

from jinja2 import Environment

from generator.filters import FILTERS, TESTS
from generator.render import Links


def render(source: str, **values: object) -> str:
    env = Environment(autoescape=True)
    env.filters.update(FILTERS)
    env.tests.update(TESTS)
    names = {"ada": "Ada <Lovelace>", "bob": "Bob", "cy": "Cy", "di": "Di", "ed": "Ed"}
    members = [SimpleNamespace(handle=h, name=n, headline="Maths & engines" if h == "ada" else "")
               for h, n in names.items()]
    community = SimpleNamespace(members=members, by_handle={m.handle: m for m in members})
    links = Links("/c/", {t: t for t in "abcfi"}, {h: f"avatars/{h}.png" for h in names}).with_anchors(community)
    return env.from_string(source).render(links=links, community=community, **values)


def test_topic_links_read_as_words() -> None:
    assert render("{{ ts|topic_links }}", ts=["a", "b", "c"]) == (
        '<a href="/c/topics/a/">a</a>, <a href="/c/topics/b/">b</a> and <a href="/c/topics/c/">c</a>')


def test_names_are_escaped_once() -> None:
    assert render("{{ 'ada'|person_link }}") == '<a href="/c/members/ada/">Ada &lt;Lovelace&gt;</a>'


def test_introducers_beyond_three_are_counted() -> None:
    assert render("{{ hs|introducer_links }}", hs=["ada", "bob", "cy", "di", "ed"]) == (
        '<a href="/c/members/ada/">Ada &lt;Lovelace&gt;</a>, <a href="/c/members/bob/">Bob</a>, '
        '<a href="/c/members/cy/">Cy</a> and 2 others')


def test_two_introducers_are_joined_with_and() -> None:
    assert render("{{ hs|introducer_links }}", hs=["bob", "cy"]) == (
        '<a href="/c/members/bob/">Bob</a> and <a href="/c/members/cy/">Cy</a>')


def suggestion(**fields: object) -> SimpleNamespace:
    return SimpleNamespace(**{"handle": "bob", "asks_met": (), "offers_met": (), "fields": (), "interests": (),
                              "introducers": (), **fields})


def test_a_reason_joins_help_both_ways_with_and() -> None:
    s = suggestion(asks_met=("a",), offers_met=("b",))
    assert render("{{ s|suggestion_reason }}", s=s) == (
        'Bob offers <a href="/c/topics/a/">a</a>, which you ask for, '
        'and asks for <a href="/c/topics/b/">b</a>, which you offer.')


def test_a_reason_starting_with_shared_topics_is_capitalised_and_clauses_are_separated() -> None:
    s = suggestion(fields=("f",), interests=("i",))
    assert render("{{ s|suggestion_reason }}", s=s) == (
        'You both work in <a href="/c/topics/f/">f</a>; you share an interest in <a href="/c/topics/i/">i</a>.')


def test_a_reason_names_introducers_unless_asked_not_to() -> None:
    s = suggestion(offers_met=("b",), introducers=(SimpleNamespace(handle="cy", strength="close"),))
    assert render("{{ s|suggestion_reason }}", s=s) == (
        'Bob asks for <a href="/c/topics/b/">b</a>, which you offer; <a href="/c/members/cy/">Cy</a> can introduce you.')
    assert render("{{ s|suggestion_reason(false) }}", s=s) == (
        'Bob asks for <a href="/c/topics/b/">b</a>, which you offer.')


def test_a_reason_with_nothing_to_say_is_empty() -> None:
    assert render("{{ s|suggestion_reason(false) }}", s=suggestion(introducers=("x",))) == ""


def test_introducer_strengths_follow_each_link() -> None:
    introducers = (SimpleNamespace(handle="ada", strength="close"), SimpleNamespace(handle="cy", strength="regular"))
    assert render("{{ i|introducer_strengths }}", i=introducers) == (
        '<a href="/c/members/ada/">Ada &lt;Lovelace&gt;</a> <span class="strength strength-close">close</span>, '
        '<a href="/c/members/cy/">Cy</a> <span class="strength strength-regular">regular</span>')


def test_a_pairing_says_what_each_offers_the_other_with_a_space_after_the_semicolon() -> None:
    p = SimpleNamespace(a="bob", b="cy", a_offers=("a",), b_offers=("b",))
    assert render("{{ p|pairing_sentence }}", p=p) == (
        'Introduce <a href="/c/members/bob/">Bob</a> and <a href="/c/members/cy/">Cy</a>: '
        'Bob offers <a href="/c/topics/a/">a</a>, which Cy asks for; Cy offers <a href="/c/topics/b/">b</a>, which Bob asks for.')


def test_a_person_in_a_list_is_their_avatar_and_their_name_linked_with_the_headline_below() -> None:
    assert render("{{ 'ada'|small_avatar }}") == (
        '<img class="avatar avatar-small" src="/c/avatars/ada.png" alt="" width="40" height="40" loading="lazy">')
    assert render("{{ 'ada'|name_link }}") == '<a class="person-name" href="/c/members/ada/">Ada &lt;Lovelace&gt;</a>'
    assert render("{{ 'ada'|name_and_headline }}") == (
        '<a class="person-name" href="/c/members/ada/">Ada &lt;Lovelace&gt;</a>\n'
        '<span class="person-headline">Maths &amp; engines</span>')


def test_a_person_without_a_headline_is_their_name_linked_alone() -> None:
    assert render("{{ 'bob'|name_and_headline }}") == '<a class="person-name" href="/c/members/bob/">Bob</a>'


def test_a_strength_is_a_label_styled_by_it() -> None:
    assert render("{{ 'close'|strength_label }}") == '<span class="strength strength-close">close</span>'


def test_site_urls_start_with_the_base_path() -> None:
    assert render("{{ ''|page_url }} {{ 'topics/'|page_url }} {{ 'style.css'|asset_url }}") == (
        "/c/ /c/topics/ /c/assets/style.css")


def test_a_page_is_in_its_sections_and_profiles_are_in_the_directory() -> None:
    template = "{{ [page is in_section(''), page is in_section('topics/')] }}"
    assert render(template, page="") == "[True, False]"
    assert render(template, page="members/ada/") == "[True, False]"
    assert render(template, page="topics/python/") == "[False, True]"
    assert render(template, page="introductions/") == "[False, False]"
