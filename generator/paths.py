"""How two members are connected: the shortest chain of confirmed connections, and the compact
graph file the /path/ page searches in the browser.

Among several shortest chains the one chosen is the smallest in handle order, hop by hop: a
breadth-first search from the target gives every member's distance to it, then the walk from the
source always steps to the lowest handle one step closer. The page's script does the same on the
same numbering, so the site and `connectory path` always agree. random_chain instead draws one of
the shortest chains at random, each equally likely, for the network page's sampled numbers.
"""

from __future__ import annotations

import itertools
import json
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate, pairwise
from random import Random
from typing import Container, Iterator, Sequence

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


def random_chain(ix: NetworkIndex, a: int, b: int, rng: Random) -> tuple[int, ...] | None:
    """A shortest chain of ids from a to b, each of the shortest chains equally likely; None when none.

    A breadth-first search grows from both ends, always the smaller side, until one side's next
    level reaches the other's last: in a small world each side stays a few hundred members deep,
    where a search from one end would reach almost everyone. The chain is then drawn through that
    meeting level weighted by the number of chains through each member, and back to each end
    weighted likewise, which makes every shortest chain equally likely.
    """
    if a == b:
        return (a,)
    adj = ix.adj
    levels: tuple[list[set[int]], list[set[int]]] = ([{a}], [{b}])
    seen = ({a}, {b})
    while True:
        side = 0 if len(levels[0][-1]) <= len(levels[1][-1]) else 1
        here, there = levels[side][-1], levels[1 - side][-1]
        # Probe the other side first: the last, largest level is then never built as a set.
        meet = there.intersection(itertools.chain.from_iterable(map(adj.__getitem__, here)))
        if meet:
            levels[side].append(meet)
            break
        reached = set().union(*map(adj.__getitem__, here))
        reached -= seen[side]
        if not reached:
            return None
        seen[side].update(reached)
        levels[side].append(reached)
    on_chains = [_on_chains(ix, side, meet) for side in levels]
    counts = [_chain_counts(ix, layers) for layers in on_chains]
    middle = sorted(meet)
    x = _pick(rng, middle, [counts[0][m] * counts[1][m] for m in middle])
    to_a, to_b = (_walk_back(ix, rng, layers, n, x) for layers, n in zip(on_chains, counts))
    return (*reversed(to_a), x, *to_b)


def _on_chains(ix: NetworkIndex, levels: list[set[int]], meet: set[int]) -> list[set[int]]:
    """The members of each level (the first is one end) on a shortest chain to the meeting level."""
    layers = [meet]
    for level in reversed(levels[:-1]):
        layers.append(level.intersection(itertools.chain.from_iterable(map(ix.adj.__getitem__, layers[-1]))))
    layers.reverse()
    return layers


def _chain_counts(ix: NetworkIndex, layers: list[set[int]]) -> dict[int, int]:
    """How many shortest chains lead from the end (layers[0]) to each member of the layers."""
    counts = dict.fromkeys(layers[0], 1)
    get = counts.__getitem__
    for before, layer in pairwise(layers):
        within = before.intersection
        for x in layer:
            counts[x] = sum(map(get, within(ix.adj[x])))
    return counts


def _walk_back(ix: NetworkIndex, rng: Random, layers: list[set[int]], counts: dict[int, int], x: int) -> list[int]:
    """From x in the last layer back to the end, each step weighted by the chains it leads on to."""
    path = []
    for before in reversed(layers[:-1]):
        options = sorted(before.intersection(ix.adj[x]))
        x = _pick(rng, options, [counts[u] for u in options])
        path.append(x)
    return path


def _pick(rng: Random, items: Sequence[int], weights: Sequence[int]) -> int:
    """One of items, in proportion to its whole-number weight (exact, however large the counts)."""
    if len(items) == 1:
        return items[0]
    upto = list(accumulate(weights))
    return items[bisect_right(upto, rng.randrange(upto[-1]))]


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


def context_shard(ix: NetworkIndex, handle: str) -> int | None:
    """The number of the hop-context file holding a member's connections (None: not in the graph)."""
    i = ix.ids.get(handle)
    return None if i is None else bisect_right(context_shards(ix), i) - 1


def context_files(ix: NetworkIndex, network: Network,
                  only: Container[int] | None = None) -> Iterator[tuple[int, bytes]]:
    """(shard number, JSON) of hop contexts: {handle: {other: [strength, context, since]}};
    with `only`, just those shards (an incremental build's).

    Loaded only for the members on a chain the page has found, so the graph file stays small.
    """
    starts = context_shards(ix) + [len(ix)]
    for n, (first, end) in enumerate(zip(starts, starts[1:])):
        if only is not None and n not in only:
            continue
        part = {h: {c.handle: [c.strength, c.context, c.since] for c in network.connections.get(h, ())}
                for h in ix.handles[first:end]}
        yield n, json.dumps(part, ensure_ascii=False, separators=(",", ":")).encode()
