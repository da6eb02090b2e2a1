"""The network as numbers: size, components, degrees of separation, connectors, who to welcome.

Exact up to EXACT_LIMIT members. Above it, both the degrees of separation and the connectors come
from SAMPLE_PAIRS pairs of members drawn with a fixed seed among all pairs a chain links, each with
one of its shortest chains drawn uniformly (paths.random_chain, a search from both ends that stays a
few hundred members deep): the pairs' distances give the separation, and the share of drawn chains
through a member is an unbiased estimate of their betweenness. Its error depends on the number of
pairs, not on the community's size (about sqrt(b / SAMPLE_PAIRS) for a share b: 1.5% +- 0.17
points), so 100,000 members take about 2 s, and the same input always gives the same page.

This replaced networkx's estimate from a few sources, which was slower and far less accurate (a
member near a sampled source looks central). At 10,000 members its 32 sources took 2 s and found
0 to 3 of the ten members on most chains (exact betweenness, computed once to compare, over three
seeds), with shares up to 2.4 times too high; 5,000 pairs take 0.4 s and find 7 to 9 of them, their
shares within about a tenth. At 100,000 members its 10 sources took 23 s and put first a member on 6.5% of chains who is
on fewer than 0.01%. Where many members are about equally central (at 100,000 synthetic members the
top hundred are all near 0.13%), the list is a sample of them, and their shares read high.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from itertools import accumulate
from random import Random

import networkx as nx

from .graph import Network
from .models import Community
from .netindex import NetworkIndex
from .paths import distances_to, random_chain

EXACT_LIMIT = 500  # members: above this, separation and betweenness are sampled
SAMPLE_PAIRS = 5000  # about 80 us each at 10,000 members, 300 us at 100,000
# Sampling stops early once the chains drawn are this many links long in all: each link costs a
# few microseconds, and a stretched-out network (a line of members) has chains hundreds long.
LINK_BUDGET = 40_000
SEED = 20240601
CONNECTORS = 10


@dataclass(frozen=True)
class Connector:
    """A member on many shortest chains whose connections span several fields."""

    handle: str
    betweenness: float  # share of shortest chains through them, 0..1, rounded
    fields: tuple[str, ...]  # the main fields of their connections, most common first


@dataclass(frozen=True)
class NetworkStats:
    """Everything /network/ shows, as plain numbers and handles."""

    members: int
    connections: int  # confirmed, each counted once
    pending: int  # one-sided claims between members
    components: tuple[int, ...]  # sizes of groups of two or more, largest first
    separation: tuple[tuple[int, int], ...]  # (degrees, pairs) over the pairs measured
    average_separation: float  # over connected pairs, rounded to 2 places
    diameter: int  # of the largest component (a lower bound when sampled)
    sampled: bool
    connectors: tuple[Connector, ...]
    welcome: tuple[str, ...]  # members with no confirmed connection yet


def main_field(community: Community, handle: str) -> str:
    """A member's first field, or "" when they name none."""
    fields = community.by_handle[handle].fields
    return fields[0] if fields else ""


def _components(ix: NetworkIndex) -> list[list[int]]:
    seen: set[int] = set()
    found = []
    for i in range(len(ix)):
        if i not in seen and ix.adj[i]:
            group = list(distances_to(ix, i))
            seen.update(group)
            found.append(sorted(group))
    return sorted(found, key=lambda g: (-len(g), g[0]))


def _separation(ix: NetworkIndex, largest: list[int], sources: list[int]) -> tuple[Counter[int], int]:
    """Distances from every source to everyone it reaches, and the largest group's diameter."""
    counts: Counter[int] = Counter()
    diameter = 0
    inside = set(largest)
    for s in sources:
        dist = distances_to(ix, s)
        counts.update(dist.values())
        if s in inside:
            diameter = max(diameter, max(dist.values()))
    counts.pop(0, None)  # each source's distance to itself
    return counts, diameter


def _double_sweep(ix: NetworkIndex, largest: list[int]) -> int:
    """A lower bound of the largest group's diameter: the eccentricity of the member farthest from
    its first member (exact on trees and lines, close on small worlds)."""
    start = max(distances_to(ix, largest[0]).items(), key=lambda e: (e[1], -e[0]))[0]
    return max(distances_to(ix, start).values())


def _sampled_pairs(ix: NetworkIndex, components: list[list[int]]) -> tuple[Counter[int], Counter[int], float]:
    """(pairs by degrees, drawn chains through each member, scale) over up to SAMPLE_PAIRS pairs drawn
    uniformly among the ordered pairs of members of the same group; the scale turns a count of chains
    into a share of the pairs of other members, the betweenness networkx would give."""
    rng = Random(SEED)
    upto = list(accumulate(len(g) * (len(g) - 1) for g in components))
    counts: Counter[int] = Counter()
    through: Counter[int] = Counter()
    drawn = links = 0
    while upto and drawn < SAMPLE_PAIRS and links < LINK_BUDGET:
        group = components[bisect_right(upto, rng.randrange(upto[-1]))]
        a = rng.choice(group)
        b = rng.choice(group)
        while b == a:
            b = rng.choice(group)
        found = random_chain(ix, a, b, rng)
        assert found is not None  # a and b are in the same group
        counts[len(found) - 1] += 1
        through.update(found[1:-1])
        drawn += 1
        links += len(found) - 1
    n = len(ix)
    return counts, through, upto[-1] / (drawn * (n - 1) * (n - 2)) if drawn else 0.0


def _connectors(ix: NetworkIndex, community: Community, scores: dict[int, float]) -> tuple[Connector, ...]:
    """The members with the highest betweenness whose connections work in at least two fields."""
    ranked = sorted(scores.items(), key=lambda e: (-round(e[1], 9), e[0]))
    out = []
    for i, score in ranked:
        if score <= 0 or len(out) == CONNECTORS:
            break
        fields = Counter(main_field(community, ix.handles[j]) for j in ix.adj[i])
        fields.pop("", None)
        if len(fields) >= 2:  # a connector bridges fields, not just one busy corner
            out.append(Connector(ix.handles[i], round(score, 4),
                                 tuple(f for f, _ in sorted(fields.items(), key=lambda e: (-e[1], e[0])))))
    return tuple(out)


def _exact_betweenness(ix: NetworkIndex) -> dict[int, float]:
    """networkx's betweenness, normalised by the pairs of other members ((n-1)(n-2) ordered pairs)."""
    graph = nx.Graph()
    graph.add_nodes_from(range(len(ix)))
    graph.add_edges_from((i, j) for i, row in enumerate(ix.adj) for j in row if i < j)
    return nx.betweenness_centrality(graph)


def network_stats(community: Community, network: Network, ix: NetworkIndex) -> NetworkStats:
    """Count, measure and rank the network; sampled above EXACT_LIMIT members."""
    components = _components(ix)
    largest = components[0] if components else []
    n = len(ix)
    exact = n <= EXACT_LIMIT
    if exact:
        counts, diameter = _separation(ix, largest, [i for g in components for i in g])
        counts = Counter({d: c // 2 for d, c in counts.items()})  # every pair was counted from both ends
        scores = _exact_betweenness(ix) if components else {}
    else:
        counts, through, scale = _sampled_pairs(ix, components)
        diameter = max(max(counts, default=0), _double_sweep(ix, largest) if largest else 0)
        scores = {i: c * scale for i, c in through.items()}
    pairs = sum(counts.values())
    average = round(sum(d * c for d, c in counts.items()) / pairs, 2) if pairs else 0.0
    members = set(ix.handles)
    return NetworkStats(
        members=n, connections=sum(len(row) for row in ix.adj) // 2,
        pending=sum(1 for a, b in network.pending if a in members and b in members),
        components=tuple(len(g) for g in components),
        separation=tuple(sorted(counts.items())), average_separation=average,
        diameter=diameter, sampled=not exact,
        connectors=_connectors(ix, community, scores),
        welcome=tuple(h for h, row in zip(ix.handles, ix.adj) if not row))
