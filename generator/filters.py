"""Jinja filters for the sentences the introductions lists repeat hundreds of thousands of times.

They are worded for the member whose page it is ("you"), and only members who introduce are ever
introducers: the data holds no one else. Each was a Jinja macro (the reason, a `caller` per topic
link): a macro costs a new frame per call, and thirty suggestions on every member's two pages made
them most of the rendering time at 10,000 members. As filters they say the same words.

The links to people and topics are made once per build (render.Links.with_anchors). Every filter
reads the community and the links through the template's context, never from module state."""

from __future__ import annotations

from typing import Any, Sequence

from jinja2 import pass_context
from markupsafe import Markup, escape

from .models import STRENGTHS


def join_words(parts: Sequence[str]) -> str:
    """"a", "a and b", "a, b and c" (as plain text: the caller marks the whole as safe)."""
    parts = [str(p) for p in parts]  # Markup + str would escape the str
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _words(anchors: Any, keys: Sequence[str]) -> str:
    """The anchors of these keys as words (join_words), for the filters below to build on."""
    if len(keys) == 1:
        return anchors[keys[0]]
    parts = [anchors[k] for k in keys]  # markup: joined by f-string, as Markup + str would escape the str
    return f"{', '.join(parts[:-1])} and {parts[-1]}" if parts else ""


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
    anchors = context["links"].person_anchors
    shown = list(handles[:named])
    parts: list[str] = [anchors[h] for h in shown]
    if rest := len(handles) - len(shown):
        parts.append(f"{rest} other" + ("s" if rest > 1 else ""))
    return Markup(join_words(parts))


@pass_context
def suggestion_reason(context: Any, s: Any, with_introducers: bool = True) -> Markup:
    """Why someone is suggested, in one sentence worded for the member ("you"); "" when nothing to say.

    Their own name is plain text: the template puts a link to them just above.
    """
    topics = context["links"].topic_anchors
    clauses: list[str] = []
    if s.asks_met:
        name = escape(context["community"].by_handle[s.handle].name)
        clauses.append(f"{name} offers {_words(topics, s.asks_met)}, which you ask for"
                       + (", " if s.offers_met else "; "))
    if s.offers_met:
        who = "and " if s.asks_met else f"{escape(context['community'].by_handle[s.handle].name)} "
        clauses.append(f"{who}asks for {_words(topics, s.offers_met)}, which you offer; ")
    if s.fields:
        clauses.append(f"{'y' if clauses else 'Y'}ou both work in {_words(topics, s.fields)}; ")
    if s.interests:
        clauses.append(f"{'y' if clauses else 'Y'}ou share an interest in {_words(topics, s.interests)}; ")
    if s.introducers and with_introducers:
        handles = [i.handle for i in s.introducers]
        clauses.append(f"{introducer_links(context, handles)} can introduce you; ")
    if not clauses:
        return Markup("")
    clauses[-1] = clauses[-1][:-2] + "."  # every clause ends with its separator: the last ends the sentence
    return Markup("".join(clauses))


@pass_context
def pairing_sentence(context: Any, p: Any) -> Markup:
    """Two of a member's connections to introduce, and what each offers that the other asks for."""
    people, topics = context["links"].person_anchors, context["links"].topic_anchors
    by_handle = context["community"].by_handle
    a, b = escape(by_handle[p.a].name), escape(by_handle[p.b].name)
    words = f"Introduce {people[p.a]} and {people[p.b]}:"
    if p.a_offers:
        words += f" {a} offers {_words(topics, p.a_offers)}, which {b} asks for" + (";" if p.b_offers else ".")
    if p.b_offers:
        words += f" {b} offers {_words(topics, p.b_offers)}, which {a} asks for."
    return Markup(words)


_STRENGTH_LABELS = {s: f'<span class="strength strength-{s}">{s}</span>' for s in STRENGTHS}


@pass_context
def introducer_strengths(context: Any, introducers: Sequence[Any]) -> Markup:
    """Every introducer as a link followed by the weaker of their two connections, comma-separated."""
    people = context["links"].person_anchors
    return Markup(", ".join(f"{people[i.handle]} {_STRENGTH_LABELS[i.strength]}" for i in introducers))


# The links' methods as filters: `{{ h|member_url }}` is `{{ links.member(h) }}` for a third of the cost,
# as Jinja calls a filter directly but checks every function a template calls (runtime.Context.call).
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


FILTERS = {"member_url": member_url, "avatar_url": avatar_url, "topic_url": topic_url, "topic_links": topic_links, "person_link": person_link, "introducer_links": introducer_links,
           "suggestion_reason": suggestion_reason, "introducer_strengths": introducer_strengths,
           "pairing_sentence": pairing_sentence}
