"""The community's best matches (asks that one introduction away meets an offer) and the asks
nobody offers yet, gathered from every member's reach."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from .introductions import Reach
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


def best_matches(reaches: Iterable[Reach]) -> tuple[Match, ...]:
    """Every ask met one introduction away, by topic then asker."""
    found = [Match(r.handle, a.topic, a.best, a.introducers, a.offerers)
             for r in reaches for a in r.ask_matches]
    return tuple(sorted(found, key=lambda m: (m.topic, m.asker)))


def unmet_asks(ix: NetworkIndex) -> tuple[Unmet, ...]:
    """Asks nobody in the community offers, most asked first, then by topic."""
    unmet = [Unmet(t, tuple(ix.handles[i] for i in sorted(askers)))
             for t, askers in ix.asked_by.items() if t not in ix.offered_by]
    return tuple(sorted(unmet, key=lambda u: (-len(u.askers), u.topic)))
