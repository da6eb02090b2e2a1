"""The network's numbers: components, separation, connectors, who to welcome."""

from __future__ import annotations

import networkx as nx

from generator.graph import build_network
from generator.stats import EXACT_LIMIT, network_stats
from tests.network_helpers import community, confirmed_graph, index, member


def stats(c):
    return network_stats(c, build_network(c), index(c))


def line():
    return community(member("a", knows=["b"], fields=["art"]), member("b", knows=["a", "c"], fields=["art"]),
                     member("c", knows=["b", "d"], fields=["law"]), member("d", knows=["c"], fields=["law"]),
                     member("e", knows=["a"]), member("f", knows=["g"]), member("g", knows=["f"]))


def test_counts_members_confirmed_connections_and_pending_claims():
    s = stats(line())
    assert (s.members, s.connections, s.pending) == (7, 4, 1)


def test_components_are_listed_largest_first():
    assert stats(line()).components == (4, 2)


def test_members_with_no_confirmed_connection_are_welcomed():
    assert stats(line()).welcome == ("e",)


def test_separation_counts_every_connected_pair_once():
    s = stats(line())
    assert s.separation == ((1, 4), (2, 2), (3, 1))
    assert s.average_separation == round((4 + 4 + 3) / 7, 2)


def test_the_diameter_is_that_of_the_largest_component():
    assert stats(line()).diameter == 3


def test_connectors_bridge_fields():
    [top, *_] = stats(line()).connectors
    assert top.handle in {"b", "c"} and set(top.fields) == {"art", "law"}


def test_an_empty_community_has_no_numbers_to_divide():
    s = stats(community())
    assert (s.members, s.components, s.average_separation, s.connectors) == (0, (), 0.0, ())


def test_large_networks_are_sampled_the_same_way_every_time():
    n = EXACT_LIMIT + 100
    handles = [f"m{i:04d}" for i in range(n)]
    c = community(*(member(h, knows=handles[max(0, i - 1):i] + handles[i + 1:i + 2]) for i, h in enumerate(handles)))
    first, second = stats(c), stats(c)
    assert first.sampled and first == second
    assert first.diameter == n - 1  # a double sweep finds a line's ends


def test_sampled_betweenness_estimates_the_exact_share():
    # Six rings of 100 in six fields, joined only through one member who knows five people in each ring.
    rings = [[f"r{r}-{i:03d}" for i in range(100)] for r in range(6)]
    members = [member("hub", knows=[ring[i] for ring in rings for i in range(0, 100, 20)], fields=["events"])]
    for r, ring in enumerate(rings):
        for i, h in enumerate(ring):
            knows = [ring[(i + d) % 100] for d in (-2, -1, 1, 2)] + (["hub"] if i % 20 == 0 else [])
            members.append(member(h, knows=knows, fields=[f"field{r}"]))
    c = community(*members)
    assert len(c.members) > EXACT_LIMIT
    graph = confirmed_graph(c)
    exact = nx.betweenness_centrality(graph)["hub"]
    [top, *_] = stats(c).connectors
    assert top.handle == "hub" and abs(top.betweenness - exact) < 0.05 * exact
