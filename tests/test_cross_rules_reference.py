"""The rules between profiles give exactly what a plain walk of every list would give.

cross_problems looks connections up in sets and checks a handle's form only when it is about to
report it; the reference below is the direct reading of the rules (walk the other member's list).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.validate import Listing, cross_problems, handle_problem

HANDLES = ["ada", "bob", "cy", "Dee", "ed-", "fay", "ada-1", "ada-l"]  # some invalid, some look-alike


def reference_connection_problems(docs: dict[str, Listing]) -> list[tuple]:
    """(file, line, field, code) of the unknown and pending connections, the rules read plainly."""
    out = []
    for stem in sorted(docs):
        doc = docs[stem]
        for other, i, line, _ in doc.listed():
            if other == stem or handle_problem(other):
                continue
            if other not in docs:
                out.append((doc.rel, line, f"connections.{i + 1}", "unknown-connection"))
            elif docs[other].readable and stem not in docs[other].connections:
                out.append((doc.rel, line, f"connections.{i + 1}", "pending-connection"))
    return out


@st.composite
def listings(draw: st.DrawFn) -> dict[str, Listing]:
    stems = draw(st.lists(st.sampled_from(HANDLES), unique=True, max_size=6))
    docs = {}
    for stem in stems:
        readable = draw(st.booleans()) or draw(st.booleans())
        listed = draw(st.lists(st.sampled_from(HANDLES + ["zed", "x y"]), max_size=8)) if readable else []
        places = tuple(n for i in range(len(listed)) for n in (i, 3 + i, 5))
        docs[stem] = Listing(f"content/members/{stem}.md", readable, stem.title() if readable else None,
                             (2, 1), tuple(listed), places)
    return docs


@settings(max_examples=200, derandomize=True, deadline=None, database=None)
@given(listings())
def test_unknown_and_pending_connections_match_the_plain_reading(docs):
    got = [(p.file, p.line, p.field, p.code) for p in cross_problems(docs)
           if p.code in ("unknown-connection", "pending-connection")]
    assert got == reference_connection_problems(docs)
