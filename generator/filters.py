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


def join_words(parts: Sequence[str]) -> str:
    """"a", "a and b", "a, b and c" (as plain text: the caller marks the whole as safe)."""
    parts = [str(p) for p in parts]  # Markup + str would escape the str
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


@pass_context
def topic_links(context: Any, topics: Sequence[str]) -> Markup:
    """Links to the topics' pages, as words: "a, b and c"."""
    anchors = context["links"].topic_anchors
    return Markup(join_words([anchors[t] for t in topics]))


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
    clauses: list[str] = []
    if s.asks_met:
        name = escape(context["community"].by_handle[s.handle].name)
        clauses.append(f"{name} offers {topic_links(context, s.asks_met)}, which you ask for"
                       + (", " if s.offers_met else "; "))
    if s.offers_met:
        who = "and " if s.asks_met else f"{escape(context['community'].by_handle[s.handle].name)} "
        clauses.append(f"{who}asks for {topic_links(context, s.offers_met)}, which you offer; ")
    if s.fields:
        clauses.append(f"{'y' if clauses else 'Y'}ou both work in {topic_links(context, s.fields)}; ")
    if s.interests:
        clauses.append(f"{'y' if clauses else 'Y'}ou share an interest in {topic_links(context, s.interests)}; ")
    if s.introducers and with_introducers:
        handles = [i.handle for i in s.introducers]
        clauses.append(f"{introducer_links(context, handles)} can introduce you; ")
    if not clauses:
        return Markup("")
    last = clauses[-1]
    clauses[-1] = last[:-2] + "." if last.endswith(("; ", ", ")) else last
    return Markup("".join(clauses))


@pass_context
def pairing_sentence(context: Any, p: Any) -> Markup:
    """Two of a member's connections to introduce, and what each offers that the other asks for."""
    anchors, by_handle = context["links"].person_anchors, context["community"].by_handle
    a, b = escape(by_handle[p.a].name), escape(by_handle[p.b].name)
    words = f"Introduce {anchors[p.a]} and {anchors[p.b]}:"
    if p.a_offers:
        words += f" {a} offers {topic_links(context, p.a_offers)}, which {b} asks for" + (";" if p.b_offers else ".")
    if p.b_offers:
        words += f" {b} offers {topic_links(context, p.b_offers)}, which {a} asks for."
    return Markup(words)


@pass_context
def introducer_strengths(context: Any, introducers: Sequence[Any]) -> Markup:
    """Every introducer as a link followed by the weaker of their two connections, comma-separated."""
    anchors = context["links"].person_anchors
    return Markup(", ".join(f'{anchors[i.handle]} <span class="strength strength-{escape(i.strength)}">'
                            f'{escape(i.strength)}</span>' for i in introducers))


FILTERS = {"topic_links": topic_links, "person_link": person_link, "introducer_links": introducer_links,
           "suggestion_reason": suggestion_reason, "introducer_strengths": introducer_strengths,
           "pairing_sentence": pairing_sentence}
