"""The pages about who can introduce whom: each profile's sections and introductions page,
/introductions/, /path/ with its graph files, and /network/. Pure, like render.py.

Each member's suggestions are computed once, when their profile is rendered, and the same
result feeds their introductions page, yielded right after it; nothing per member is kept
for the whole build, so memory stays flat at 100,000 members.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Container, Iterator
from urllib.parse import quote

from markupsafe import Markup

from .graph import Network
from .introductions import Pairing, Pairings, Reach, Suggestion, pairings, reach
from .matches import Matches, Unmet, best_matches, unmet_asks
from .models import Community, Member
from .netindex import NetworkIndex, build_index
from .paths import context_files, graph_file
from .pictures import PICTURE_LIMIT, Legend, circle_svg, legend, network_svg
from .stats import NetworkStats, network_stats

if TYPE_CHECKING:  # render.py imports this module; the types are only for annotations
    from .render import Context, Output

PROFILE_PEOPLE = 10  # suggestions on a profile
PROFILE_PAIRS = 5  # introductions to make on a profile
LIST = 20  # on a member's introductions page: each costs ~11 us to explain at 100k members
CIRCLE = 12  # people one introduction away drawn in a member's circle
PAGE_MATCHES = 1000  # best matches on /introductions/
PAGE_LONG_LIST = 200  # members to welcome, askers of an unmet topic


@dataclass(frozen=True)
class MemberNetwork:
    """One member's suggestions and introductions to make, as their pages show them."""

    member: Member
    reach: Reach  # up to LIST suggestions
    pairings: Pairings  # up to LIST
    connections: int  # confirmed
    introducers: int  # confirmed connections who introduce

    @property
    def suggestions(self) -> tuple[Suggestion, ...]:
        return self.reach.suggestions

    @property
    def top(self) -> tuple[Suggestion, ...]:
        return self.reach.suggestions[:PROFILE_PEOPLE]

    @property
    def top_pairings(self) -> tuple[Pairing, ...]:
        return self.pairings.top[:PROFILE_PAIRS]


@dataclass(frozen=True)
class NetworkView:
    """The network as the pages need it; the community-wide parts are computed on first use."""

    community: Community
    network: Network
    index: NetworkIndex

    @classmethod
    def make(cls, community: Community, network: Network) -> "NetworkView":
        return cls(community, network, build_index(community, network))

    def member(self, handle: str) -> MemberNetwork:
        """Suggestions and introductions a member could make (up to LIST of each)."""
        m = self.index.ids[handle]
        return MemberNetwork(self.community.by_handle[handle], reach(self.index, handle, LIST),
                             pairings(self.index, handle, LIST), len(self.index.adj[m]),
                             sum(1 for i in self.index.adj[m] if self.index.introduces[i]))

    @cached_property
    def stats(self) -> NetworkStats:
        return network_stats(self.community, self.network, self.index)

    @cached_property
    def matches(self) -> Matches:
        return best_matches(self.index, PAGE_MATCHES)

    @cached_property
    def unmet(self) -> tuple[Unmet, ...]:
        return unmet_asks(self.index)

    @cached_property
    def legend(self) -> tuple[Legend, ...]:
        return legend(self.community)


def circle(ctx: "Context", mine: MemberNetwork) -> Markup:
    """A member's circle as inline SVG (our own escaped output)."""
    svg = circle_svg(ctx.community, ctx.network.index, mine.member.handle, mine.suggestions[:CIRCLE],
                     limit=CIRCLE + 4, ident="circle", entries=ctx.network.legend)
    return Markup(svg)  # noqa: S704 - built by pictures.py, every text escaped there


def path_link(ctx: "Context", a: str, b: str = "") -> str:
    """/path/?from=a[&to=b]: a chain the page finds when it opens."""
    query = f"?from={quote(a)}" + (f"&to={quote(b)}" if b else "")
    return ctx.links.page("path/") + query


def profile_values(ctx: "Context", mine: MemberNetwork) -> dict[str, object]:
    """What a profile's network sections need: the member's results, circle and path link."""
    m = mine.member
    return {"intros": mine, "circle": circle(ctx, mine), "path_from": path_link(ctx, m.handle),
            "intros_url": None if m.draft else ctx.links.page(f"members/{m.handle}/introductions/")}


def member_pages(ctx: "Context", mine: MemberNetwork) -> Iterator["Output"]:
    """A member's full lists: everyone they could meet (up to LIST) and every introduction to make."""
    m = mine.member
    if m.draft:  # a preview of a draft profile is enough; its lists would leak into the sitemap
        return
    yield ctx.page(f"members/{m.handle}/introductions/", "member_introductions.html",
                   title=f"Introductions for {m.name}", member=m, mine=mine, limit=LIST,
                   path_from=path_link(ctx, m.handle))


def network_context_files(ctx: "Context", only: Container[int] | None = None) -> Iterator["Output"]:
    """The path page's hop-context files (all, or the shards numbered in `only`)."""
    for n, data in context_files(ctx.network.index, ctx.network.network, only):
        yield f"graph/contexts-{n}.json", data


def network_pages(ctx: "Context") -> Iterator["Output"]:
    """/introductions/, /path/ and its graph files, /network/."""
    view = ctx.network
    yield ctx.page("introductions/", "introductions.html", title="Introductions", matches=view.matches,
                   unmet=view.unmet, long_list=PAGE_LONG_LIST)
    yield ctx.page("path/", "path.html", title="How are we connected?",
                   graph_url=ctx.links.page("graph.json"), context_url=ctx.links.page("graph/"))
    yield "graph.json", graph_file(view.index, ctx.community)
    yield from network_context_files(ctx)
    picture = None
    if len(view.index) <= PICTURE_LIMIT:
        picture = Markup(network_svg(ctx.community, view.index))  # noqa: S704 - escaped there
    yield ctx.page("network/", "network.html", title="The network", stats=view.stats, picture=picture,
                   legend=view.legend, picture_limit=PICTURE_LIMIT, long_list=PAGE_LONG_LIST,
                   network_degree=lambda h: len(view.index.adj[view.index.ids[h]]))
