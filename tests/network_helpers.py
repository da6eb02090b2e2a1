"""Small communities built straight from Member objects, and the rules of introductions written
the slow, obvious way (with networkx) to hold the fast code against."""

from __future__ import annotations

from typing import Any

import networkx as nx

from generator.graph import build_network
from generator.introductions import (ASK_POINTS, FIELD_POINTS, INTEREST_POINTS, INTRODUCER_CAP, OFFER_POINTS)
from generator.models import STRENGTHS, Claim, Community, Help, Member, SiteConfig
from generator.netindex import NetworkIndex, build_index


def member(handle: str, *, knows: Any = (), offers: Any = (), asks: Any = (), fields: Any = (),
           interests: Any = (), introduces: bool = True, name: str = "") -> Member:
    """A member; `knows` holds handles, (handle, strength) or (handle, strength, context)."""
    claims = tuple(Claim(k) if isinstance(k, str) else Claim(k[0], k[2] if len(k) > 2 else "", k[1])
                   for k in knows)
    return Member(handle=handle, name=name or handle.replace("-", " ").title(),
                  source=f"content/members/{handle}.md", claims=claims,
                  offers=tuple(Help(t) for t in offers), asks=tuple(Help(t) for t in asks),
                  fields=tuple(fields), interests=tuple(interests), introduces=introduces)


def community(*members: Member) -> Community:
    """A community of these members, sorted by handle as the loader sorts them."""
    return Community(SiteConfig(title="Test"), tuple(sorted(members, key=lambda m: m.handle)))


def index(c: Community) -> NetworkIndex:
    """The network index of a community."""
    return build_index(c, build_network(c))


def confirmed_graph(c: Community) -> nx.Graph:
    """Members as nodes; an edge where both list each other, with the weaker strength."""
    graph = nx.Graph()
    graph.add_nodes_from(m.handle for m in c.members)
    claims = {m.handle: {cl.handle: cl.strength for cl in m.claims} for m in c.members}
    for a, mine in claims.items():
        for b, strength in mine.items():
            if a in claims.get(b, {}):
                weaker = min(strength, claims[b][a], key=STRENGTHS.index)
                graph.add_edge(a, b, strength=weaker)
    return graph


def expected_suggestions(c: Community, handle: str) -> list[tuple[str, int, list[str]]]:
    """(handle, score, introducers) of every suggestion, best first, from the rules as written."""
    graph = confirmed_graph(c)
    me = c.by_handle[handle]
    listed = {cl.handle for cl in me.claims}
    out = []
    for other in c.members:
        x = other.handle
        if x == handle or x in listed or handle in {cl.handle for cl in other.claims}:
            continue
        introducers = sorted(i for i in nx.common_neighbors(graph, handle, x) if c.by_handle[i].introduces)
        if not introducers:
            continue
        weakest = [min(graph[handle][i]["strength"], graph[i][x]["strength"], key=STRENGTHS.index)
                   for i in introducers]
        asks, offers = {h.topic for h in me.asks}, {h.topic for h in me.offers}
        score = (ASK_POINTS * len(asks & {h.topic for h in other.offers})
                 + OFFER_POINTS * len(offers & {h.topic for h in other.asks})
                 + FIELD_POINTS * len(set(me.fields) & set(other.fields))
                 + INTEREST_POINTS * len(set(me.interests) & set(other.interests))
                 + min(INTRODUCER_CAP, sum(1 + STRENGTHS.index(s) for s in weakest)))
        out.append((x, score, introducers))
    return sorted(out, key=lambda e: (-e[1], e[0]))
