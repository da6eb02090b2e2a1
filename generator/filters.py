"""Jinja filters for the snippets every introductions list repeats hundreds of thousands of times.

A list of topic links or a person's link is one line of markup, but as a Jinja macro (with a
`caller` per item) it costs a new frame per item: at 10,000 members these macros were most of
the time spent rendering. The templates keep their macros (`intro.topics`, `intro.person`,
`intro.introducers`), now one filter call each, and say the same words as before.
"""

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
    links = context["links"]
    return Markup(join_words([f'<a href="{escape(links.topic(t))}">{escape(t)}</a>' for t in topics]))


@pass_context
def person_link(context: Any, handle: str) -> Markup:
    """A link to a member's profile, with their name."""
    name = context["community"].by_handle[handle].name
    return Markup(f'<a href="{escape(context["links"].member(handle))}">{escape(name)}</a>')


@pass_context
def introducer_links(context: Any, handles: Sequence[str], named: int = 3) -> Markup:
    """The first `named` people as links, the rest counted: "A, B, C and 2 others"."""
    shown = list(handles[:named])
    parts: list[str] = [person_link(context, h) for h in shown]
    if rest := len(handles) - len(shown):
        parts.append(f"{rest} other" + ("s" if rest > 1 else ""))
    return Markup(join_words(parts))


FILTERS = {"topic_links": topic_links, "person_link": person_link, "introducer_links": introducer_links}
