"""The network as integer ids and inverted topic indexes: what introductions, paths and stats run on.

Handles are numbered in sorted order, so comparing ids compares handles and every tie can be
broken by id. Adjacency is kept as sorted tuples of ids (cheap to chain into a Counter in C), and
topics point back to the members who offer, ask for, work in or are interested in them, so a
member's matches are found by intersecting small sets rather than by scanning the community.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

from .graph import Network
from .models import STRENGTHS, Community, no_cycle_collection

Ids = tuple[int, ...]
HUB = 48  # connections: above this a member's links are also kept as a dict, for lookups by id


@dataclass(frozen=True)
class NetworkIndex:
    """Confirmed connections by id, pending claims, and who offers/asks/shares each topic."""

    handles: tuple[str, ...]  # sorted; a member's id is its position
    ids: Mapping[str, int]
    adj: tuple[Ids, ...]  # confirmed neighbours, ascending
    strength: tuple[tuple[int, ...], ...]  # parallel to adj: STRENGTHS index of each connection
    adj_regular: tuple[Ids, ...]  # neighbours at "regular" or closer
    adj_close: tuple[Ids, ...]  # neighbours at "close"
    introduces: tuple[bool, ...]
    claimed: tuple[frozenset[int], ...]  # pending claims in either direction
    asks: tuple[frozenset[str], ...]
    offers: tuple[frozenset[str], ...]
    fields: tuple[frozenset[str], ...]
    interests: tuple[frozenset[str], ...]
    offered_by: Mapping[str, frozenset[int]]
    asked_by: Mapping[str, frozenset[int]]
    in_field: Mapping[str, frozenset[int]]
    interested_in: Mapping[str, frozenset[int]]
    hub_links: Mapping[int, Mapping[int, int]]  # for members with more than HUB connections: id -> strength

    def __len__(self) -> int:
        return len(self.handles)

    def link_strength(self, a: int, b: int) -> int:
        """STRENGTHS index of the confirmed connection a-b, or -1 when there is none."""
        if a in self.hub_links:
            return self.hub_links[a].get(b, -1)
        row = self.adj[a]
        pos = bisect_left(row, b)
        return self.strength[a][pos] if pos < len(row) and row[pos] == b else -1

    def connected(self, a: int, b: int) -> bool:
        """Whether a and b are confirmed connections."""
        return self.link_strength(a, b) >= 0


def _inverted(sets: Iterable[frozenset[str]], numbers: Sequence[int]) -> dict[str, frozenset[int]]:
    found: dict[str, list[int]] = {}
    for i, topics in zip(numbers, sets):
        for topic in topics:
            found.setdefault(topic, []).append(i)
    return {t: frozenset(ms) for t, ms in sorted(found.items())}


def build_index(community: Community, network: Network) -> NetworkIndex:
    """Number the members and index their connections and topics."""
    with no_cycle_collection():
        return _index(community, network)


def _index(community: Community, network: Network) -> NetworkIndex:
    members = community.members  # already sorted by handle
    handles = tuple(m.handle for m in members)
    # One int object per id, shared by every row and set: a lookup that finds an id then matches
    # it by identity, without reading a second copy from elsewhere in memory.
    numbers = list(range(len(handles)))
    ids = dict(zip(handles, numbers))
    rank = {s: i for i, s in enumerate(STRENGTHS)}.__getitem__
    adj, strength, regular, close = [], [], [], []
    known = ids.get
    for h in handles:
        cs = network.connections.get(h, ())
        row = list(map(known, [c.handle for c in cs]))
        ranks = list(map(rank, [c.strength for c in cs]))
        if None in row:  # connections to members not in this community (drafts left out)
            ranks = [s for j, s in zip(row, ranks) if j is not None]
            row = [j for j in row if j is not None]
        if row != sorted(row):  # graph.py lists connections in handle order, that is in id order
            pairs = sorted(zip(row, ranks))
            row, ranks = [j for j, _ in pairs], [s for _, s in pairs]
        adj.append(tuple(row))
        strength.append(tuple(ranks))
        regular.append(tuple(j for j, s in zip(row, ranks) if s >= 1))
        close.append(tuple(j for j, s in zip(row, ranks) if s >= 2))
    claimed: list[set[int]] = [set() for _ in handles]
    for claimer, claimed_handle in network.pending:
        if claimer in ids and claimed_handle in ids:  # claims of drafts or typos concern nobody here
            a, b = ids[claimer], ids[claimed_handle]
            claimed[a].add(b)
            claimed[b].add(a)
    # Likewise one string object per topic (each profile's topics were read on their own).
    canonical: dict[str, str] = {}
    one = canonical.setdefault
    asks = tuple(frozenset(one(h.topic, h.topic) for h in m.asks) for m in members)
    offers = tuple(frozenset(one(h.topic, h.topic) for h in m.offers) for m in members)
    fields = tuple(frozenset(one(t, t) for t in m.fields) for m in members)
    interests = tuple(frozenset(one(t, t) for t in m.interests) for m in members)
    return NetworkIndex(
        handles=handles, ids=ids, adj=tuple(adj), strength=tuple(strength),
        adj_regular=tuple(regular), adj_close=tuple(close),
        introduces=tuple(m.introduces for m in members),
        claimed=tuple(frozenset(c) for c in claimed),
        asks=asks, offers=offers, fields=fields, interests=interests,
        offered_by=_inverted(offers, numbers), asked_by=_inverted(asks, numbers),
        in_field=_inverted(fields, numbers), interested_in=_inverted(interests, numbers),
        hub_links={i: dict(zip(row, strength[i])) for i, row in enumerate(adj) if len(row) > HUB})
