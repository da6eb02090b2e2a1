"""How two members are connected: the shortest chain of confirmed connections, and the compact
graph file the /path/ page searches in the browser.

Among several shortest chains the one chosen is the smallest in handle order, hop by hop: a
breadth-first search from the target gives every member's distance to it, then the walk from the
source always steps to the lowest handle one step closer. The page's script does the same on the
same numbering, so the site and `connectory path` always agree.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Iterator

from .graph import Network
from .models import Community
from .netindex import NetworkIndex

SHARD = 2000  # connections per hop-context file (a hub may fill one alone): ~100 KB each


@dataclass(frozen=True)
class Hop:
    """One link of a chain, in the words of the member it starts from."""

    source: str
    target: str
    strength: str
    context: str
    since: str = ""


def distances_to(ix: NetworkIndex, target: int, stop: int | None = None) -> dict[int, int]:
    """Degrees of separation of every member from target, level by level (sets unioned in C).

    Stops after the level where `stop` is found, which already holds everyone closer than it.
    """
    dist = {target: 0}
    frontier = {target}
    level = 0
    while frontier and (stop is None or stop not in dist):
        level += 1
        frontier = set().union(*(ix.adj[u] for u in frontier)).difference(dist)
        dist.update(dict.fromkeys(frontier, level))
    return dist


def shortest_chain(ix: NetworkIndex, a: str, b: str) -> tuple[str, ...] | None:
    """The handles from a to b along confirmed connections, or None when no chain exists."""
    start, goal = ix.ids[a], ix.ids[b]
    dist = distances_to(ix, goal, stop=start)
    if start not in dist:
        return None
    chain = [start]
    while chain[-1] != goal:
        here = chain[-1]
        chain.append(next(n for n in ix.adj[here] if dist.get(n) == dist[here] - 1))  # adj is sorted
    return tuple(ix.handles[i] for i in chain)


def hops(network: Network, chain: tuple[str, ...]) -> tuple[Hop, ...]:
    """Each link of a chain with its strength and context."""
    out = []
    for source, target in zip(chain, chain[1:]):
        c = next(c for c in network.connections[source] if c.handle == target)
        out.append(Hop(source, target, c.strength, c.context, c.since))
    return tuple(out)


def graph_file(ix: NetworkIndex, community: Community) -> bytes:
    """The network for the /path/ page: handles, names and adjacency as index lists.

    Each connection is stored once, on its lower-numbered end, as gaps between ascending
    ids (small numbers, few digits): the page rebuilds both directions when it loads.
    """
    adj = []
    for i, row in enumerate(ix.adj):
        higher = [j for j in row if j > i]
        adj.append([b - a for a, b in zip([i] + higher, higher)])
    data = {"version": 1, "handles": list(ix.handles),
            "names": [community.by_handle[h].name for h in ix.handles], "adj": adj,
            "shards": context_shards(ix)}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def context_shards(ix: NetworkIndex) -> list[int]:
    """The first member id of each hop-context file: a new file once SHARD connections are in one."""
    starts, held = [0], 0
    for i, row in enumerate(ix.adj):
        if held and held + len(row) > SHARD:
            starts.append(i)
            held = 0
        held += len(row)
    return starts


def context_files(ix: NetworkIndex, network: Network) -> Iterator[tuple[int, bytes]]:
    """(shard number, JSON) of hop contexts: {handle: {other: [strength, context, since]}}.

    Loaded only for the members on a chain the page has found, so the graph file stays small.
    """
    starts = context_shards(ix) + [len(ix)]
    for n, (first, end) in enumerate(zip(starts, starts[1:])):
        part = {h: {c.handle: [c.strength, c.context, c.since] for c in network.connections.get(h, ())}
                for h in ix.handles[first:end]}
        yield n, json.dumps(part, ensure_ascii=False, separators=(",", ":")).encode()
