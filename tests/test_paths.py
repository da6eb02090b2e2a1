"""The shortest chain between two members, and the graph file the /path/ page searches."""

from __future__ import annotations

import json
import random
from collections import Counter

from generator.graph import build_network
from generator.paths import SHARD, context_files, context_shard, graph_file, hops, random_chain, shortest_chain
from tests.network_helpers import community, index, member


def test_the_chain_follows_confirmed_connections_only():
    c = community(member("a", knows=["b", "z"]), member("b", knows=["a", "c"]), member("c", knows=["b"]),
                  member("z", knows=["c"]))  # z-c and a-z are one-sided
    assert shortest_chain(index(c), "a", "c") == ("a", "b", "c")


def test_among_shortest_chains_the_lowest_handles_win():
    c = community(member("a", knows=["y", "b"]), member("y", knows=["a", "d"]), member("b", knows=["a", "d"]),
                  member("d", knows=["y", "b"]))
    assert shortest_chain(index(c), "a", "d") == ("a", "b", "d")


def test_no_chain_is_none():
    c = community(member("a", knows=["b"]), member("b"))
    assert shortest_chain(index(c), "a", "b") is None


def test_a_member_is_zero_degrees_from_themselves():
    c = community(member("a"))
    assert shortest_chain(index(c), "a", "a") == ("a",)


def test_a_random_chain_is_drawn_uniformly_among_the_shortest():
    # a reaches z through b1..b3 then c1..c2: 3 * 2 = 6 shortest chains, and one longer one via x, y, w
    middle = [f"b{i}" for i in (1, 2, 3)]
    last = ["c1", "c2"]
    c = community(member("a", knows=middle + ["x"]), *(member(b, knows=["a"] + last) for b in middle),
                  *(member(m, knows=middle + ["z"]) for m in last), member("z", knows=last + ["w"]),
                  member("x", knows=["a", "y"]), member("y", knows=["x", "w"]), member("w", knows=["y", "z"]))
    ix = index(c)
    rng = random.Random(1)
    drawn = Counter(random_chain(ix, ix.ids["a"], ix.ids["z"], rng) for _ in range(6000))
    assert len(drawn) == 6 and all(len(chain) == 4 for chain in drawn)
    assert all(850 < n < 1150 for n in drawn.values())  # 1000 each expected; 5 standard deviations either way


def test_a_random_chain_weights_each_meeting_point_by_the_chains_through_it():
    # a-m1-z is one chain, a-{p1,p2}-m2-z are two: m2 lies on two thirds of the shortest chains
    c = community(member("a", knows=["m1", "p1", "p2"]), member("m1", knows=["a", "n"]),
                  member("n", knows=["m1", "z"]), member("p1", knows=["a", "m2"]), member("p2", knows=["a", "m2"]),
                  member("m2", knows=["p1", "p2", "z"]), member("z", knows=["n", "m2"]))
    ix = index(c)
    rng = random.Random(2)
    through = Counter(ix.handles[random_chain(ix, ix.ids["a"], ix.ids["z"], rng)[2]] for _ in range(3000))
    assert set(through) == {"n", "m2"} and 1850 < through["m2"] < 2150


def test_each_hop_carries_the_context_of_the_member_it_starts_from():
    c = community(member("a", knows=[("b", "close", "We met at PyCon.")]), member("b", knows=["a"]))
    [hop] = hops(build_network(c), ("a", "b"))
    assert (hop.source, hop.target, hop.context, hop.strength) == ("a", "b", "We met at PyCon.", "acquaintance")


def test_the_graph_file_stores_each_connection_once_as_gaps():
    c = community(member("a", knows=["b", "d"]), member("b", knows=["a", "d"]), member("c"),
                  member("d", knows=["a", "b"]))
    data = json.loads(graph_file(index(c), c))
    assert data["handles"] == ["a", "b", "c", "d"]
    assert data["names"] == ["A", "B", "C", "D"]
    assert data["adj"] == [[1, 2], [2], [], []]  # a: b (1), d (1 + 2); b: d (1 + 2)
    assert data["shards"] == [0]


def test_hop_contexts_are_sharded_by_connections_held():
    hub = member("a", knows=[f"m{i:04d}" for i in range(SHARD)])
    c = community(hub, *(member(f"m{i:04d}", knows=["a"]) for i in range(SHARD)))
    ix = index(c)
    assert json.loads(graph_file(ix, c))["shards"] == [0, 1]  # the hub fills the first file alone
    assert [len(json.loads(data)) for _, data in context_files(ix, build_network(c))] == [1, SHARD]
    # An incremental build writes only the files holding the members whose connections changed.
    assert context_shard(ix, "a") == 0 and context_shard(ix, f"m{SHARD - 1:04d}") == 1
    assert context_shard(ix, "nobody") is None
    everything = dict(context_files(ix, build_network(c)))
    assert dict(context_files(ix, build_network(c), only={1})) == {1: everything[1]}
