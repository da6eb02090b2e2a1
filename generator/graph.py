"""The network of confirmed connections: both members list each other, or it does not count."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Mapping

from .models import STRENGTHS, Claim, Community, no_cycle_collection


@dataclass(frozen=True, slots=True)  # millions of them at 100,000 members: no __dict__ each
class Connection:
    """A confirmed connection seen from one member: who, how strong (the weaker side), and why."""

    handle: str
    strength: str
    context: str  # this member's own words, or the other's when this member gave none
    since: str = ""
    last_met: str = ""


@dataclass(frozen=True)
class Network:
    """Confirmed connections of every member (sorted by handle) and the one-sided claims."""

    connections: Mapping[str, tuple[Connection, ...]]
    pending: tuple[tuple[str, str], ...]  # (claimer, claimed), sorted

    @cached_property
    def neighbours(self) -> Mapping[str, frozenset[str]]:
        """Each member's confirmed connections as a set; made when first asked for (a set per member
        is a hundred megabytes at 100,000 members, and the pages work on netindex.py's ids)."""
        return {h: frozenset(c.handle for c in cs) for h, cs in self.connections.items()}

    def strength(self, a: str, b: str) -> str | None:
        """The strength of the confirmed connection between a and b, or None."""
        for c in self.connections.get(a, ()):
            if c.handle == b:
                return c.strength
        return None


# The weaker of two strengths, looked up rather than compared: two million lookups at 100,000 members.
_WEAKER = {x: {y: x if i <= j else y for j, y in enumerate(STRENGTHS)} for i, x in enumerate(STRENGTHS)}


def _merge(handle: str, mine: Claim, theirs: Claim) -> Connection:
    """The connection to `handle` as `mine`'s member sees it: their own context first, the earliest
    `since`, the latest meeting."""
    a, b = mine.since, theirs.since
    return Connection(handle, _WEAKER[mine.strength][theirs.strength], mine.context or theirs.context,
                      (a if a <= b else b) if a and b else a or b, max(mine.last_met, theirs.last_met))


def build_network(community: Community) -> Network:
    """Pair up claims: listed both ways is a connection, one way is pending and counts for nothing."""
    with no_cycle_collection():
        return _pair(community)


def _pair(community: Community) -> Network:
    # Each connection names the other member by their own handle string, not the claim's equal copy:
    # the index and the pages look handles up millions of times, and a dict matches the same
    # object without comparing characters (at 100,000 members, a character compare is a cache miss).
    claims = {m.handle: (m.handle, {c.handle: c for c in m.claims}) for m in community.members}
    connections: dict[str, tuple[Connection, ...]] = {}
    pending: list[tuple[str, str]] = []
    for handle, (_, mine) in claims.items():
        confirmed = []
        for other in sorted(mine):
            found = claims.get(other)
            theirs = found[1].get(handle) if found else None
            if theirs is None:
                pending.append((handle, other))
            else:
                confirmed.append(_merge(found[0], mine[other], theirs))
        connections[handle] = tuple(confirmed)
    pending.sort()
    return Network(connections, tuple(pending))
