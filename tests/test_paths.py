"""The shortest chain between two members, and the graph file the /path/ page searches."""

from __future__ import annotations

import json

from generator.graph import build_network
from generator.paths import SHARD, context_files, graph_file, hops, shortest_chain
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
