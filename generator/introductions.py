"""Who can introduce whom: the people each member could meet, and the introductions they could make.

The score of a suggestion X for member M is a whole number::

    score = 10 * (topics M asks for that X offers)
          +  5 * (topics X asks for that M offers)
          +  3 * (fields they share)
          +  2 * (interests they share)
          +  min(9, sum over introducers I of (1 + strength of the weaker hop M-I or I-X))

where a hop's strength is its STRENGTHS index (acquaintance 0, regular 1, close 2). The
introducer part is capped below one met ask, so help someone needs always outranks the
number of mutual friends; ties are broken by handle.

Ranking everyone one introduction away would touch every 2-hop pair (79 million at 100,000
members), so the top K are found without building them: introducer points are counted in C by
chaining adjacency tuples into a Counter, topic points by intersecting that Counter's keys with
inverted topic indexes, and exact scores are only computed for the few candidates whose bounds
can still reach the top K.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import chain, compress, repeat
from operator import itemgetter
from typing import AbstractSet, Callable, Iterator, Mapping

from .models import STRENGTHS
from .netindex import NetworkIndex

ASK_POINTS, OFFER_POINTS, FIELD_POINTS, INTEREST_POINTS = 10, 5, 3, 2
INTRODUCER_CAP = 9
TOP = 10


@dataclass(frozen=True)
class Introducer:
    """A shared confirmed connection willing to introduce, and the weaker of the two hops."""

    handle: str
    strength: str


@dataclass(frozen=True)
class Suggestion:
    """Someone a member could meet, the people who can introduce them, and why."""

    handle: str
    score: int
    introducers: tuple[Introducer, ...]  # sorted by handle
    asks_met: tuple[str, ...]  # what the member asks for that this person offers
    offers_met: tuple[str, ...]  # what this person asks for that the member offers
    fields: tuple[str, ...]  # shared fields, sorted
    interests: tuple[str, ...]  # shared interests, sorted


@dataclass(frozen=True)
class AskMatch:
    """One of a member's asks that someone one introduction away offers."""

    topic: str
    offerers: int  # how many people one introduction away offer it
    best: str  # the best-ranked of them
    introducers: tuple[str, ...]  # who can introduce the member to `best`, sorted


@dataclass(frozen=True)
class Reach:
    """Everything one introduction away from a member."""

    handle: str
    suggestions: tuple[Suggestion, ...]  # best first, at most the K asked for
    candidates: int  # everyone one introduction away
    ask_matches: tuple[AskMatch, ...]  # by topic


def _introducer_points(ix: NetworkIndex, m: int, hop: dict[int, int]) -> Counter[int]:
    """1 + weaker-hop strength per introducer, summed per candidate, counted in C.

    `hop` maps each introducer among m's connections to the strength of that connection.
    """
    via = list(hop)
    points: Counter[int] = Counter(chain.from_iterable(ix.adj[i] for i in via))
    # 1 + min(a, b) == 1 + [a >= 1 and b >= 1] + [a >= 2 and b >= 2]
    points.update(chain.from_iterable(ix.adj_regular[i] for i in via if hop[i] >= 1))
    points.update(chain.from_iterable(ix.adj_close[i] for i in via if hop[i] >= 2))
    for gone in chain((m,), ix.adj[m], ix.claimed[m]):  # already known, or a claim pending either way
        points.pop(gone, None)
    return points


def _within(near: Counter[int], members: frozenset[int]) -> AbstractSet[int]:
    """The candidates among `members`, walking the smaller side.

    `members.intersection(near)` walks near's keys; `near.keys() & members` walks members (a
    frozenset is not an exact set, so the view cannot swap sides itself).
    """
    return near.keys() & members if len(members) < len(near) else members.intersection(near)


def _with_topic_points(ix: NetworkIndex, m: int, near: Counter[int]) -> tuple[Counter[int], dict[str, AbstractSet[int]]]:
    """Introducer points (uncapped) plus topic points per candidate, and for each ask who offers it.

    The points are added in C by repeating each set of matches as many times as its weight.
    """
    none: frozenset[int] = frozenset()
    total = Counter(near)
    hits = {t: _within(near, ix.offered_by.get(t, none)) for t in sorted(ix.asks[m])}
    groups = [(ASK_POINTS, hits.values()),
              (OFFER_POINTS, (_within(near, ix.asked_by.get(t, none)) for t in ix.offers[m])),
              (FIELD_POINTS, (_within(near, ix.in_field[t]) for t in ix.fields[m])),
              (INTEREST_POINTS, (_within(near, ix.interested_in[t]) for t in ix.interests[m]))]
    for weight, sets in groups:
        total.update(chain.from_iterable(chain.from_iterable(repeat(found, weight) for found in sets)))
    return total, {t: found for t, found in hits.items() if found}


def _kth_largest(values: Counter[int], k: int) -> int:
    """The k-th largest of the counted values (the smallest when there are fewer than k)."""
    seen = 0
    for value in sorted(values, reverse=True):
        seen += values[value]
        if seen >= k:
            return value
    return min(values)


def _best_ids(near: Counter[int], total: Counter[int], k: int | None) -> list[tuple[int, int]]:
    """(score, id) of the top k candidates, best first; every candidate when k is None.

    total[x] is an upper bound of x's score (its introducer points are not capped yet) and
    equals it for almost everyone. Only candidates whose bound reaches the k-th largest bound
    are scored exactly (found in C with compress); if capping pushed the k-th exact score
    below that bound, the bar is lowered and the pool widened until it holds.
    """
    if not total or (k is not None and k < 1):
        return []

    def ranked(x: int) -> tuple[int, int]:  # (-score, id) sorts best first with no key function
        return max(0, near[x] - INTRODUCER_CAP) - total[x], x

    if k is None:
        return [(-neg, x) for neg, x in sorted(map(ranked, total))]
    bar = _kth_largest(Counter(total.values()), k)
    while True:
        pool = compress(total.keys(), map(bar.__le__, total.values()))
        best = sorted(map(ranked, pool))[:k]
        if len(best) < k or -best[-1][0] >= bar:
            return [(-neg, x) for neg, x in best]
        bar = -best[-1][0]


def _shared(ix: NetworkIndex, hop: dict[int, int], x: int) -> list[tuple[int, int]]:
    """(introducer, strength of its connection to x) for the keys of hop connected to x, ascending."""
    links = ix.hub_links.get(x)
    if links is not None:  # x is a hub: look the member's few introducers up instead of walking x's row
        return [(i, links[i]) for i in hop if i in links]
    return [(i, ix.link_strength(x, i)) for i in sorted(hop.keys() & ix.adj[x])]  # the & walks x's row in C


def _suggestions(ix: NetworkIndex, m: int, hop: dict[int, int], best: list[tuple[int, int]]) -> tuple[Suggestion, ...]:
    """The suggestions for the (score, id) pairs in `best`, in that order, with who introduces and why."""
    handles, asks, offers, fields, interests = ix.handles, ix.asks, ix.offers, ix.fields, ix.interests
    my_asks, my_offers, my_fields, my_interests = asks[m], offers[m], fields[m], interests[m]
    out = []
    for score, x in best:
        introducers = tuple([Introducer(handles[i], STRENGTHS[min(hop[i], s)]) for i, s in _shared(ix, hop, x)])
        # Most of these are empty: sorting nothing still costs a call each.
        met, helped = my_asks & offers[x], asks[x] & my_offers
        same, common = my_fields & fields[x], my_interests & interests[x]
        out.append(Suggestion(handles[x], score, introducers,
                              tuple(sorted(met)) if met else (), tuple(sorted(helped)) if helped else (),
                              tuple(sorted(same)) if same else (), tuple(sorted(common)) if common else ()))
    return tuple(out)


def _score(ix: NetworkIndex, m: int, x: int, introducer_points: int) -> int:
    """The score of one candidate, from the formula in the module docstring."""
    return (ASK_POINTS * len(ix.asks[m] & ix.offers[x]) + OFFER_POINTS * len(ix.offers[m] & ix.asks[x])
            + FIELD_POINTS * len(ix.fields[m] & ix.fields[x])
            + INTEREST_POINTS * len(ix.interests[m] & ix.interests[x])
            + min(introducer_points, INTRODUCER_CAP))


def _ask_matches(ix: NetworkIndex, hop: dict[int, int], hits: dict[str, AbstractSet[int]],
                 best_of: Callable[[AbstractSet[int]], int]) -> tuple[AskMatch, ...]:
    out = []
    for topic, found in hits.items():
        x = best_of(found)
        out.append(AskMatch(topic, len(found), ix.handles[x], tuple(ix.handles[i] for i, _ in _shared(ix, hop, x))))
    return tuple(out)


def _highest(found: AbstractSet[int], bound: Mapping[int, int], score: Callable[[int], int]) -> int:
    """The member of `found` with the highest score, the lowest id among equals, given bound[x] >= score(x).

    Only those whose bound reaches the best bound are scored (the bounds are read in C); if the
    best of them scores below it, the bar is lowered to that score and the pool widened, as in _best_ids.
    """
    members = list(found)
    bar = max(map(bound.__getitem__, members))
    while True:
        neg, x = min((-score(x), x) for x in compress(members, map(bar.__le__, map(bound.__getitem__, members))))
        if -neg >= bar:
            return x
        bar = -neg


def _start(ix: NetworkIndex, handle: str) -> tuple[int, dict[int, int], Counter[int]]:
    m = ix.ids[handle]
    hop = {i: s for i, s in zip(ix.adj[m], ix.strength[m]) if ix.introduces[i]}
    return m, hop, _introducer_points(ix, m, hop)


def reach(ix: NetworkIndex, handle: str, k: int | None = TOP) -> Reach:
    """The top k people `handle` could meet (all of them when k is None), with their asks met."""
    m, hop, near = _start(ix, handle)
    total, hits = _with_topic_points(ix, m, near)
    best = _best_ids(near, total, k)

    def score(x: int) -> int:  # total[x] is its bound: uncapped introducer points
        return total[x] - max(0, near[x] - INTRODUCER_CAP)

    matches = _ask_matches(ix, hop, hits, lambda found: _highest(found, total, score))
    return Reach(handle, _suggestions(ix, m, hop, best), len(near), matches)


def ask_matches(ix: NetworkIndex, handle: str) -> tuple[AskMatch, ...]:
    """Only the asks of `handle` met one introduction away: cheaper than reach() for a community page."""
    if not ix.asks[ix.ids[handle]]:
        return ()
    m, hop, near = _start(ix, handle)
    hits = {t: found for t in sorted(ix.asks[m]) if (found := _within(near, ix.offered_by.get(t, frozenset())))}
    return _ask_matches(ix, hop, hits, lambda found: min(found, key=lambda x: (-_score(ix, m, x, near[x]), x)))


def reach_all(ix: NetworkIndex, k: int | None = TOP) -> Iterator[Reach]:
    """reach() for every member, in handle order."""
    for handle in ix.handles:
        yield reach(ix, handle, k)


@dataclass(frozen=True)
class Pairing:
    """Two of a member's connections who do not know each other yet, and the help between them."""

    a: str  # the lower handle
    b: str
    a_offers: tuple[str, ...]  # what b asks for that a offers
    b_offers: tuple[str, ...]  # what a asks for that b offers


@dataclass(frozen=True)
class Pairings:
    """The introductions a member could make: how many in all, and the first k, most help first."""

    total: int
    top: tuple[Pairing, ...]


def pairings(ix: NetworkIndex, handle: str, k: int | None = None) -> Pairings:
    """Introductions `handle` could make (the first k, or all), most help first, then by handles.

    None when the member does not introduce. Only pairs where one's ask meets the other's
    offer are found, through an index of what the member's connections offer, so a hub with
    thousands of connections never walks all their pairs; Pairing objects are made for the
    k shown only.
    """
    m = ix.ids[handle]
    if not ix.introduces[m]:
        return Pairings(0, ())
    circle, n = ix.adj[m], len(ix)
    offering: dict[str, list[int]] = {}
    for b in circle:
        for topic in ix.offers[b]:
            offering.setdefault(topic, []).append(b)
    # Count the help in each pair, the pair (low, high) encoded as one int low * n + high: a hub's
    # circle can hold millions of matches, so the per-match work is a comprehension and a Counter.
    helps: Counter[int] = Counter()
    for a in circle:  # a asks, b offers
        wanted = [offering[t] for t in ix.asks[a] if t in offering]
        if wanted:
            known = ix.claimed[a].union(ix.adj[a], (a,))  # already connected, or a claim pending either way
            helps.update([a * n + b if a < b else b * n + a
                          for b in chain.from_iterable(wanted) if b not in known])
    ranked = sorted(helps.items())  # by pair, that is by handles; then, stably, most help first
    ranked.sort(key=itemgetter(1), reverse=True)
    made = []
    for key, _ in ranked[:k]:
        a, b = divmod(key, n)
        made.append(Pairing(ix.handles[a], ix.handles[b], tuple(sorted(ix.offers[a] & ix.asks[b])),
                            tuple(sorted(ix.offers[b] & ix.asks[a]))))
    return Pairings(len(helps), tuple(made))
