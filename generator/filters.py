"""Jinja filters (and a test) for what every page repeats: the sentences the introductions lists say
hundreds of thousands of times, a person in a list of people, and the site's URLs.

The sentences are worded for the member whose page it is ("you"), and only members who introduce
are ever introducers: the data holds no one else. Each was a Jinja macro (the reason, a `caller` per
topic link): a macro costs a new frame per call, and thirty suggestions on every member's two pages
made them most of the rendering time at 10,000 members. As filters they say the same words.

The links to people and topics are made once per build (render.Links.with_anchors), each person
as a list of people shows them once per process (render.Links.listed). Every filter reads the
community and the links through the template's context, never from module state. Jinja calls a
filter directly but checks every function a template calls (runtime.Context.call), so the URLs are
filters too: `{{ h|member_url }}` is `{{ links.member(h) }}` for a third of the cost."""

from __future__ import annotations

from typing import Any, Sequence

from jinja2 import pass_context
from markupsafe import Markup, escape

from .models import STRENGTHS


# The anchors are Markup, and the sentences are built from them as plain text, marked safe once whole:
# Markup + str would escape the str, and a Markup in an f-string takes Python's slow formatting path
# (a fifth of these filters' time), so pieces are joined by str.join or turned into str first.
def join_words(parts: Sequence[str]) -> str:
    """"a", "a and b", "a, b and c" (as plain text: the caller marks the whole as safe)."""
    if len(parts) <= 1:
        return "".join(parts)
    return " and ".join((", ".join(parts[:-1]), parts[-1]))


def _words(anchors: Any, keys: Sequence[str]) -> str:
    """The anchors of these keys as words (join_words), for the filters below to build on."""
    return str(anchors[keys[0]]) if len(keys) == 1 else join_words([anchors[k] for k in keys])


def _people(anchors: Any, handles: Sequence[str], named: int = 3) -> str:
    """The first `named` people's anchors as words, the rest counted: "A, B, C and 2 others"."""
    parts = [anchors[h] for h in handles[:named]]
    if rest := len(handles) - len(parts):
        parts.append(f"{rest} other" + ("s" if rest > 1 else ""))
    return join_words(parts)


@pass_context
def topic_links(context: Any, topics: Sequence[str]) -> Markup:
    """Links to the topics' pages, as words: "a, b and c"."""
    return Markup(_words(context["links"].topic_anchors, topics))


@pass_context
def person_link(context: Any, handle: str) -> Markup:
    """A link to a member's profile, with their name."""
    return context["links"].person_anchors[handle]


@pass_context
def introducer_links(context: Any, handles: Sequence[str], named: int = 3) -> Markup:
    """The first `named` people as links, the rest counted: "A, B, C and 2 others"."""
    return Markup(_people(context["links"].person_anchors, handles, named))


@pass_context
def suggestion_reason(context: Any, s: Any, with_introducers: bool = True) -> Markup:
    """Why someone is suggested, in one sentence worded for the member ("you"); "" when nothing to say.

    Their own name is plain text: the template puts a link to them just above.
    """
    topics = context["links"].topic_anchors
    clauses: list[str] = []
    if s.asks_met or s.offers_met:
        name = str(escape(context["community"].by_handle[s.handle].name))
    if s.asks_met:
        clauses.append(f"{name} offers {_words(topics, s.asks_met)}, which you ask for"
                       + (", " if s.offers_met else "; "))
    if s.offers_met:
        who = "and " if s.asks_met else f"{name} "
        clauses.append(f"{who}asks for {_words(topics, s.offers_met)}, which you offer; ")
    if s.fields:
        clauses.append(f"{'y' if clauses else 'Y'}ou both work in {_words(topics, s.fields)}; ")
    if s.interests:
        clauses.append(f"{'y' if clauses else 'Y'}ou share an interest in {_words(topics, s.interests)}; ")
    if s.introducers and with_introducers:
        who = _people(context["links"].person_anchors, [i.handle for i in s.introducers])
        clauses.append(f"{who} can introduce you; ")
    if not clauses:
        return Markup("")
    clauses[-1] = clauses[-1][:-2] + "."  # every clause ends with its separator: the last ends the sentence
    return Markup("".join(clauses))


@pass_context
def pairing_sentence(context: Any, p: Any) -> Markup:
    """Two of a member's connections to introduce, and what each offers that the other asks for."""
    links, by_handle = context["links"], context["community"].by_handle
    people, topics = links.person_anchors, links.topic_anchors
    a, b = str(escape(by_handle[p.a].name)), str(escape(by_handle[p.b].name))
    words = f"Introduce {str(people[p.a])} and {str(people[p.b])}:"
    if p.a_offers:
        words += f" {a} offers {_words(topics, p.a_offers)}, which {b} asks for" + (";" if p.b_offers else ".")
    if p.b_offers:
        words += f" {b} offers {_words(topics, p.b_offers)}, which {a} asks for."
    return Markup(words)


_STRENGTH_LABELS = {s: Markup(f'<span class="strength strength-{s}">{s}</span>') for s in STRENGTHS}
_AFTER_INTRODUCER = {s: f" {label}" for s, label in _STRENGTH_LABELS.items()}  # plain text, for joining


@pass_context
def introducer_strengths(context: Any, introducers: Sequence[Any]) -> Markup:
    """Every introducer as a link followed by the weaker of their two connections, comma-separated."""
    people = context["links"].person_anchors
    pieces: list[str] = []
    for i in introducers:
        pieces += (people[i.handle], _AFTER_INTRODUCER[i.strength], ", ")
    return Markup("".join(pieces[:-1]))


def strength_label(strength: str) -> Markup:
    """How well two members know each other, as a label styled by strength."""
    return _STRENGTH_LABELS[strength]


# The links' methods as filters (see the module's docstring).
@pass_context
def member_url(context: Any, handle: str) -> str:
    """The root-relative URL of a member's profile."""
    return context["links"].member(handle)


@pass_context
def avatar_url(context: Any, handle: str) -> str:
    """The root-relative URL of a member's avatar."""
    return context["links"].avatar(handle)


@pass_context
def topic_url(context: Any, topic: str) -> str:
    """The root-relative URL of a topic's page."""
    return context["links"].topic(topic)


@pass_context
def page_url(context: Any, path: str) -> str:
    """The root-relative URL of an output path (`topics/`), as `links.page(path)`."""
    return context["links"].page(path)


@pass_context
def asset_url(context: Any, name: str) -> str:
    """The root-relative URL of one of the theme's assets."""
    return context["links"].asset(name)


def in_section(page_path: str, section: str) -> bool:
    """Whether a page (by its URL path) is in a section of the site (by the section's path): the
    section's own page or one under it; the members' profiles are in the directory's (``)."""
    return page_path.startswith(section) if section else page_path == "" or page_path.startswith("members/")


# A person in a list of people (connections, suggestions, a topic's members): markup made once per
# process (render.Links.listed), as each of these lists shows the same people on many pages.
@pass_context
def small_avatar(context: Any, handle: str) -> Markup:
    """A member's avatar as a 40-pixel decorative image (`alt=""`: their name follows it)."""
    return context["links"].listed(handle).avatar


@pass_context
def name_link(context: Any, handle: str) -> Markup:
    """A member's name as a link to their profile, styled as the name of a person in a list."""
    return context["links"].listed(handle).name


@pass_context
def name_and_headline(context: Any, handle: str) -> Markup:
    """name_link, then the member's headline (if any) on a line of its own."""
    return context["links"].listed(handle).name_and_headline


FILTERS = {
    # URLs
    "page_url": page_url, "asset_url": asset_url, "member_url": member_url, "avatar_url": avatar_url,
    "topic_url": topic_url,
    # people in lists, and links in sentences
    "small_avatar": small_avatar, "name_link": name_link, "name_and_headline": name_and_headline,
    "strength_label": strength_label, "person_link": person_link, "topic_links": topic_links,
    "introducer_links": introducer_links,
    # the introductions' sentences
    "suggestion_reason": suggestion_reason, "introducer_strengths": introducer_strengths,
    "pairing_sentence": pairing_sentence,
}
TESTS = {"in_section": in_section}
