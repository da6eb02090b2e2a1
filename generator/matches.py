"""The community's best matches (asks that one introduction away meets an offer) and the asks
nobody offers yet, gathered from every member's reach."""

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


def best_matches(ix: NetworkIndex) -> tuple[Match, ...]:
    """Every ask met one introduction away, with its best offerer, by topic then asker."""
    found = [Match(h, a.topic, a.best, a.introducers, a.offerers)
             for h in ix.handles for a in ask_matches(ix, h)]
    return tuple(sorted(found, key=lambda m: (m.topic, m.asker)))


def unmet_asks(ix: NetworkIndex) -> tuple[Unmet, ...]:
    """Asks nobody in the community offers, most asked first, then by topic."""
    unmet = [Unmet(t, tuple(ix.handles[i] for i in sorted(askers)))
             for t, askers in ix.asked_by.items() if t not in ix.offered_by]
    return tuple(sorted(unmet, key=lambda u: (-len(u.askers), u.topic)))
