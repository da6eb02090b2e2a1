"""The network as numbers: size, components, degrees of separation, connectors, who to welcome.

Exact up to EXACT_LIMIT members; above it the degrees of separation come from breadth-first
searches out of a fixed, seeded sample of members, and betweenness from networkx's sampled
estimate (k sources, fixed seed), so a 100,000-member community still builds in seconds and the
same input always gives the same page.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass

import networkx as nx

from .graph import Network
from .models import Community
from .netindex import NetworkIndex
from .paths import distances_to

EXACT_LIMIT = 500  # members: above this, separation and betweenness are sampled
SAMPLE_SOURCES = 32
# Betweenness sources above EXACT_LIMIT: networkx walks every link from each (about 1.6 s per
# source at 100,000 members), so larger networks get fewer, never under 8: the connectors who
# stand out do so in any sample.
ARC_BUDGET = 20_000_000
MIN_SOURCES = 8
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
    counts: Counter[int] = Counter()
    diameter = 0
    inside = set(largest)
    for s in sources:
        dist = distances_to(ix, s)
        counts.update(dist.values())
        if s in inside:
            diameter = max(diameter, max(dist.values()))
    counts.pop(0, None)  # each source's distance to itself
    if largest and not inside.issubset(sources):
        # A double sweep from the farthest member found tightens the sampled lower bound.
        start = max(distances_to(ix, largest[0]).items(), key=lambda e: (e[1], -e[0]))[0]
        diameter = max(diameter, max(distances_to(ix, start).values()))
    return counts, diameter


def _connectors(ix: NetworkIndex, community: Community, exact: bool) -> tuple[Connector, ...]:
    graph = nx.Graph()
    graph.add_nodes_from(range(len(ix)))
    graph.add_edges_from((i, j) for i, row in enumerate(ix.adj) for j in row if i < j)
    arcs = 2 * graph.number_of_edges()
    k = None if exact else min(len(ix), max(MIN_SOURCES, min(SAMPLE_SOURCES, ARC_BUDGET // max(arcs, 1))))
    scores = nx.betweenness_centrality(graph, k=k, seed=SEED if k else None)
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


def network_stats(community: Community, network: Network, ix: NetworkIndex) -> NetworkStats:
    """Count, measure and rank the network; sampled above EXACT_LIMIT members."""
    components = _components(ix)
    largest = components[0] if components else []
    in_groups = [i for g in components for i in g]
    exact = len(ix) <= EXACT_LIMIT
    sources = in_groups if exact else sorted(random.Random(SEED).sample(in_groups,
                                                                         min(SAMPLE_SOURCES, len(in_groups))))
    counts, diameter = _separation(ix, largest, sources)
    pairs = sum(counts.values())
    average = round(sum(d * c for d, c in counts.items()) / pairs, 2) if pairs else 0.0
    if exact:  # every pair was counted from both ends
        counts = Counter({d: c // 2 for d, c in counts.items()})
    members = set(ix.handles)
    return NetworkStats(
        members=len(ix), connections=sum(len(row) for row in ix.adj) // 2,
        pending=sum(1 for a, b in network.pending if a in members and b in members),
        components=tuple(len(g) for g in components),
        separation=tuple(sorted(counts.items())), average_separation=average,
        diameter=diameter, sampled=not exact,
        connectors=_connectors(ix, community, exact) if components else (),
        welcome=tuple(h for h, row in zip(ix.handles, ix.adj) if not row))
