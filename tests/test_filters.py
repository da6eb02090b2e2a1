"""The introductions lists' filters say what the macros they replace said, escaped the same way."""

from __future__ import annotations

from types import SimpleNamespace

from jinja2 import Environment

from generator.filters import FILTERS


def render(source: str, **values: object) -> str:
    env = Environment(autoescape=True)
    env.filters.update(FILTERS)
    links = SimpleNamespace(topic=lambda t: f"/topics/{t}/", member=lambda h: f"/members/{h}/")
    names = {"ada": "Ada <Lovelace>", "bob": "Bob", "cy": "Cy", "di": "Di", "ed": "Ed"}
    community = SimpleNamespace(by_handle={h: SimpleNamespace(name=n) for h, n in names.items()})
    return env.from_string(source).render(links=links, community=community, **values)


def test_topic_links_read_as_words() -> None:
    assert render("{{ ts|topic_links }}", ts=["a", "b", "c"]) == (
        '<a href="/topics/a/">a</a>, <a href="/topics/b/">b</a> and <a href="/topics/c/">c</a>')


def test_names_are_escaped_once() -> None:
    assert render("{{ 'ada'|person_link }}") == '<a href="/members/ada/">Ada &lt;Lovelace&gt;</a>'


def test_introducers_beyond_three_are_counted() -> None:
    assert render("{{ hs|introducer_links }}", hs=["ada", "bob", "cy", "di", "ed"]) == (
        '<a href="/members/ada/">Ada &lt;Lovelace&gt;</a>, <a href="/members/bob/">Bob</a>, '
        '<a href="/members/cy/">Cy</a> and 2 others')


def test_two_introducers_are_joined_with_and() -> None:
    assert render("{{ hs|introducer_links }}", hs=["bob", "cy"]) == (
        '<a href="/members/bob/">Bob</a> and <a href="/members/cy/">Cy</a>')
