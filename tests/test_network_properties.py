"""The fast network code against networkx and the rules written plainly, on random communities
with pending claims and members who do not introduce mixed in."""

from __future__ import annotations

import itertools
from collections import Counter

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.introductions import ask_matches, pairings, reach
from generator.graph import build_network
from generator.paths import random_chain, shortest_chain
from generator.stats import network_stats
from tests.network_helpers import community, confirmed_graph, expected_suggestions, index, member

HANDLES = [f"m{i}" for i in range(10)]
TOPICS = ["art", "code", "data", "law"]
topics = st.lists(st.sampled_from(TOPICS), unique=True, max_size=2)


@st.composite
def communities(draw):
    n = draw(st.integers(2, len(HANDLES)))
    handles = HANDLES[:n]
    members = []
    for h in handles:
        others = [o for o in handles if o != h]
        knows = draw(st.lists(st.sampled_from(others), unique=True, max_size=len(others))) if others else []
        strengths = draw(st.lists(st.sampled_from(["acquaintance", "regular", "close"]),
                                  min_size=len(knows), max_size=len(knows)))
        members.append(member(h, knows=list(zip(knows, strengths)), offers=draw(topics), asks=draw(topics),
                              fields=draw(topics), interests=draw(topics),
                              introduces=draw(st.booleans())))
    return community(*members)


@settings(max_examples=100, deadline=None)
@given(communities())
def test_every_suggestion_matches_the_rules_with_its_introducers_and_score(c):
    ix = index(c)
    for m in c.members:
        got = [(s.handle, s.score, [i.handle for i in s.introducers]) for s in reach(ix, m.handle, None).suggestions]
        assert got == expected_suggestions(c, m.handle)


@settings(max_examples=100, deadline=None)
@given(communities(), st.integers(1, 6))
def test_the_top_k_are_the_first_k_of_everyone(c, k):
    ix = index(c)
    for m in c.members:
        top = reach(ix, m.handle, k)
        assert top.suggestions == reach(ix, m.handle, None).suggestions[:k]
        assert top.candidates == len(expected_suggestions(c, m.handle))


@settings(max_examples=100, deadline=None)
@given(communities())
def test_the_chain_is_a_shortest_one_and_the_smallest_in_handle_order(c):
    ix, graph = index(c), confirmed_graph(c)
    for a, b in itertools.product([m.handle for m in c.members], repeat=2):
        chain = shortest_chain(ix, a, b)
        if not nx.has_path(graph, a, b):
            assert chain is None
            continue
        assert chain is not None and len(chain) - 1 == nx.shortest_path_length(graph, a, b)
        assert list(chain) == min(nx.all_shortest_paths(graph, a, b))


@settings(max_examples=100, deadline=None)
@given(communities(), st.randoms(use_true_random=False))
def test_a_random_chain_is_one_of_the_shortest(c, rng):
    ix, graph = index(c), confirmed_graph(c)
    for a, b in itertools.product([m.handle for m in c.members], repeat=2):
        chain = random_chain(ix, ix.ids[a], ix.ids[b], rng)
        if not nx.has_path(graph, a, b):
            assert chain is None
            continue
        assert chain is not None and [ix.handles[i] for i in chain] in list(nx.all_shortest_paths(graph, a, b))


@settings(max_examples=100, deadline=None)
@given(communities())
def test_introductions_to_make_are_every_unacquainted_pair_where_help_meets_a_need(c):
    ix, graph = index(c), confirmed_graph(c)
    claimed = {(m.handle, cl.handle) for m in c.members for cl in m.claims}
    for m in c.members:
        expected = set()
        if m.introduces:
            for a, b in itertools.combinations(sorted(graph[m.handle]), 2):
                if (a, b) in claimed or (b, a) in claimed:
                    continue
                ma, mb = c.by_handle[a], c.by_handle[b]
                if {h.topic for h in ma.asks} & {h.topic for h in mb.offers} or \
                        {h.topic for h in mb.asks} & {h.topic for h in ma.offers}:
                    expected.add((a, b))
        made = pairings(ix, m.handle)
        assert {(p.a, p.b) for p in made.top} == expected and made.total == len(expected)
        assert pairings(ix, m.handle, 2).top == made.top[:2]


@settings(max_examples=100, deadline=None)
@given(communities())
def test_each_ask_s_best_match_is_the_best_ranked_suggestion_offering_it(c):
    ix = index(c)
    for m in c.members:
        expected = {}
        for handle, _, introducers in expected_suggestions(c, m.handle):
            for topic in {h.topic for h in m.asks} & {h.topic for h in c.by_handle[handle].offers}:
                expected.setdefault(topic, (handle, tuple(introducers)))
        assert {a.topic: (a.best, a.introducers) for a in ask_matches(ix, m.handle)} == expected


@settings(max_examples=60, deadline=None)
@given(communities())
def test_stats_match_networkx_components_separation_and_diameter(c):
    graph = confirmed_graph(c)
    stats = network_stats(c, build_network(c), index(c))
    groups = sorted((g for g in nx.connected_components(graph) if len(g) > 1), key=lambda g: (-len(g), min(g)))
    assert stats.components == tuple(len(g) for g in groups)
    lengths = Counter(d for a, row in nx.all_pairs_shortest_path_length(graph) for b, d in row.items() if a < b)
    assert stats.separation == tuple(sorted(lengths.items()))
    assert stats.diameter == (nx.diameter(graph.subgraph(groups[0])) if groups else 0)
    assert stats.welcome == tuple(sorted(h for h in graph if graph.degree(h) == 0))
