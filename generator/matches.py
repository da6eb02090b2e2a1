"""The community's best matches (asks that one introduction away meets an offer) and the asks
nobody offers yet.

Finding every member's matches costs a walk of each one's neighbourhood (about 50 s for
100,000 members), so a page asks for a limit: members are taken in handle order until that
many matches are found, and the result says whether it is complete.
"""

from __future__ import annotations

from dataclasses import dataclass

from .introductions import ask_matches
from .netindex import NetworkIndex


@dataclass(frozen=True)
class Match:
    """A member's ask, the best-ranked person one introduction away who offers it, and who can
    introduce them."""

    asker: str
    topic: str
    offerer: str
    introducers: tuple[str, ...]
    offerers: int  # everyone one introduction away who offers the topic


@dataclass(frozen=True)
class Unmet:
    """A topic some members ask for and no member offers."""

    topic: str
    askers: tuple[str, ...]  # sorted


@dataclass(frozen=True)
class Matches:
    """Asks met one introduction away, by topic then asker, and whether that is all of them."""

    found: tuple[Match, ...]
    complete: bool  # False when the limit stopped the search: the askers are the first by handle


def best_matches(ix: NetworkIndex, limit: int | None = None) -> Matches:
    """Every ask met one introduction away with its best offerer, or the first `limit` of them."""
    found: list[Match] = []
    for h in ix.handles:
        if limit is not None and len(found) >= limit:
            break
        found += [Match(h, a.topic, a.best, a.introducers, a.offerers) for a in ask_matches(ix, h)]
    else:
        return Matches(tuple(sorted(found, key=lambda m: (m.topic, m.asker))), True)
    return Matches(tuple(sorted(found[:limit], key=lambda m: (m.topic, m.asker))), False)


def unmet_asks(ix: NetworkIndex) -> tuple[Unmet, ...]:
    """Asks nobody in the community offers, most asked first, then by topic."""
    unmet = [Unmet(t, tuple(ix.handles[i] for i in sorted(askers)))
             for t, askers in ix.asked_by.items() if t not in ix.offered_by]
    return tuple(sorted(unmet, key=lambda u: (-len(u.askers), u.topic)))
