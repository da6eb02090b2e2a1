"""Confirmed connections: both sides list each other, and the two listings merge into one view each."""

from __future__ import annotations

from dataclasses import replace

from generator.graph import Connection, build_network
from generator.models import Claim
from tests.network_helpers import community, member


def pair(mine: Claim, theirs: Claim):
    a, b = member("a"), member("b")
    return build_network(community(replace(a, claims=(mine,)), replace(b, claims=(theirs,))))


def test_a_connection_takes_the_weaker_strength_the_earliest_since_and_the_latest_meeting():
    net = pair(Claim("b", "From the choir.", "close", "2019-05", "2024-01-02"),
               Claim("a", "", "regular", "2018-11", "2023-06"))
    assert net.connections["a"] == (Connection("b", "regular", "From the choir.", "2018-11", "2024-01-02"),)
    assert net.connections["b"] == (Connection("a", "regular", "From the choir.", "2018-11", "2024-01-02"),)


def test_each_side_keeps_its_own_context_and_a_missing_since_takes_the_other():
    net = pair(Claim("b", "Mine.", since=""), Claim("a", "Theirs.", since="2020"))
    assert (net.connections["a"][0].context, net.connections["b"][0].context) == ("Mine.", "Theirs.")
    assert net.connections["a"][0].since == net.connections["b"][0].since == "2020"


def test_connections_are_listed_in_handle_order_and_one_sided_claims_are_pending():
    c = community(member("m", knows=["z", "b", "q", "x"]), member("z", knows=["m"]), member("b", knows=["m"]),
                  member("q"), member("x", knows=["m"]))
    net = build_network(c)
    assert [c.handle for c in net.connections["m"]] == ["b", "x", "z"]
    assert net.pending == (("m", "q"),)
