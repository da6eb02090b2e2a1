"""SVG pictures of the network, written as strings by pure functions.

The layouts are computed here rather than by networkx's spring_layout, which needs numpy and
whose floating-point output may shift between versions: members are grouped by main field,
each field a sunflower (Vogel spiral, best-connected in the middle) and the fields placed
around a circle, so links between fields - the introductions a community lives on - are the
long lines. Coordinates are rounded, so the same community always gives the same bytes.
Every picture is an image (role="img") with a <title> and <desc>, and pages put a text list of
the same people, with links, beside it: links inside the picture would be hundreds of tab stops.
What every line or label of a kind shares (stroke widths by strength, the dashes, the labels'
white halo) is a class styled in the theme's style.css, not attributes repeated on each element:
they were most of the bytes of a hub's circle.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape
from typing import Callable, Sequence

from .introductions import Suggestion
from .models import STRENGTHS, Community
from .netindex import NetworkIndex

# Okabe-Ito, then three of Paul Tol's muted colours: distinguishable with colour-blindness.
PALETTE = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
           "#882255", "#44AA99", "#999933")
OTHER = "#BBBBBB"
PICTURE_LIMIT = 400  # members: above this the whole network is a hairball, and the page says so
GOLDEN = math.pi * (3 - math.sqrt(5))
SPACING = 16.0
LABEL_ALL = 80  # members: up to this many every name is written; above it only the hubs'


@dataclass(frozen=True)
class Legend:
    """A field, its colour and its members (by handle); `field` is "" for the fields beyond the palette."""

    field: str
    colour: str
    handles: tuple[str, ...]


def _main(community: Community, handle: str) -> str:
    fields = community.by_handle[handle].fields
    return fields[0] if fields else ""


def legend(community: Community) -> tuple[Legend, ...]:
    """The most common main fields get the palette's colours; the rest share grey."""
    groups: dict[str, list[str]] = {}
    for m in community.members:
        groups.setdefault(_main(community, m.handle), []).append(m.handle)
    named = sorted((f for f in groups if f), key=lambda f: (-len(groups[f]), f))
    out = [Legend(f, c, tuple(groups[f])) for f, c in zip(named, PALETTE)]
    rest = sorted(h for f in named[len(PALETTE):] + [""] for h in groups.get(f, ()))
    if rest:
        out.append(Legend("", OTHER, tuple(rest)))
    return tuple(out)


def _colour_of(community: Community, entries: Sequence[Legend] | None = None) -> Callable[[str], str]:
    colours = {entry.field: entry.colour for entry in (legend(community) if entries is None else entries)
               if entry.field}
    return lambda handle: colours.get(_main(community, handle), OTHER)


def _f(value: float) -> str:
    """A coordinate to a tenth, without a trailing ".0" (`280`, `182.9`)."""
    text = f"{value:.1f}".removesuffix(".0")
    return "0" if text == "-0" else text


def _open(width: float, height: float, ident: str, title: str, desc: str, css: str,
          left: float = 0.0, top: float = 0.0) -> list[str]:
    box = f"{_f(left)} {_f(top)} {_f(width)} {_f(height)}"
    return [f'<svg xmlns="http://www.w3.org/2000/svg" class="{css}" viewBox="{box}" '
            f'role="img" aria-labelledby="{ident}-title {ident}-desc">',
            f'<title id="{ident}-title">{escape(title)}</title>',
            f'<desc id="{ident}-desc">{escape(desc)}</desc>']


def _node(x: float, y: float, r: float, colour: str, tip: str, label: str = "",
          bold: bool = False, above: bool = False) -> str:
    return _drawn(_f(x), _f(y), _f(r), colour, tip, label, _f(_label_y(y, r, above)) if label else "", bold)


def _label_y(y: float, r: float, above: bool) -> float:
    """Where a node's name goes: above it for nodes whose links come from below, else below it."""
    return y - r - 4 if above else y + r + 11


def _drawn(fx: str, fy: str, fr: str, colour: str, tip: str, label: str, fty: str, bold: bool = False) -> str:
    """_node with its numbers already written (a circle writes each point once, for its line and its node)."""
    text = ""
    if label:
        me = ' class="me"' if bold else ""
        text = f'<text x="{fx}" y="{fty}"{me}>{escape(label)}</text>'
    return (f'<g><title>{escape(tip)}</title>'
            f'<circle cx="{fx}" cy="{fy}" r="{fr}" fill="{colour}"/>{text}</g>')


def _short(name: str, limit: int = 18) -> str:
    return name if len(name) <= limit else name[:limit - 1].rstrip() + "…"


def network_svg(community: Community, ix: NetworkIndex, ident: str = "network") -> str:
    """The whole network: fields as clusters of members, confirmed connections as lines."""
    coloured = [entry.field for entry in legend(community) if entry.field]
    groups: dict[str, list[int]] = {}
    for i, h in enumerate(ix.handles):  # fields beyond the palette share one grey cluster
        field = _main(community, h)
        groups.setdefault(field if field in coloured else "", []).append(i)
    order = [f for f in coloured + [""] if f in groups]
    label_all = len(ix) <= LABEL_ALL
    spacing = SPACING * (2.2 if label_all else 1)  # room for every name
    radius = {f: spacing * math.sqrt(len(groups[f]) + 1) for f in order}
    ring = sum(2 * radius[f] + spacing * 2 for f in order) / (2 * math.pi) if len(order) > 1 else 0.0
    ring = max(ring, max(radius.values(), default=0.0) * 1.2) if len(order) > 1 else 0.0
    extent = ring + max(radius.values(), default=0.0)
    pos: dict[int, tuple[float, float]] = {}
    angle = -math.pi / 2
    span = sum(2 * radius[f] + spacing * 2 for f in order)
    for f in order:
        share = (2 * radius[f] + spacing * 2) / span * 2 * math.pi if len(order) > 1 else 0.0
        cx, cy = extent + ring * math.cos(angle + share / 2), extent + ring * math.sin(angle + share / 2)
        angle += share
        # Hubs in the middle; in the grey cluster each field keeps together.
        members = sorted(groups[f], key=lambda i: (_main(community, ix.handles[i]) if not f else "",
                                                    -len(ix.adj[i]), i))
        for k, i in enumerate(members):
            r = spacing * math.sqrt(k + 0.5)
            pos[i] = (cx + r * math.cos(k * GOLDEN), cy + r * math.sin(k * GOLDEN))
    colour = _colour_of(community)
    links = sum(len(row) for row in ix.adj) // 2
    fields = len({_main(community, h) for h in ix.handles} - {""})
    xs, ys = [x for x, _ in pos.values()], [y for _, y in pos.values()]
    left, top = min(xs, default=0.0) - 70, min(ys, default=0.0) - 25  # room for names and big nodes
    parts = _open(max(xs, default=0.0) + 70 - left, max(ys, default=0.0) + 45 - top, ident,
                  f"The network of {community.config.title}",
                  f"{len(ix)} members grouped by main field ({fields} fields), "
                  f"{links} confirmed connections drawn as lines.", "network-picture", left, top)
    parts.append('<g class="links">')
    for i, row in enumerate(ix.adj):
        for j, s in zip(row, ix.strength[i]):
            if i < j:
                (x1, y1), (x2, y2) = pos[i], pos[j]
                parts.append(f'<line class="{STRENGTHS[s]}" x1="{_f(x1)}" y1="{_f(y1)}" x2="{_f(x2)}" y2="{_f(y2)}"/>')
    parts.append("</g>")
    hubs = set(sorted(range(len(ix)), key=lambda i: (-len(ix.adj[i]), i))[:30])
    parts.append('<g class="members">')
    for i, h in enumerate(ix.handles):
        m = community.by_handle[h]
        x, y = pos[i]
        tip = f"{m.name} — {_main(community, h) or 'no field given'} — {len(ix.adj[i])} connections"
        label = _short(m.name) if label_all or i in hubs else ""
        parts.append(_node(x, y, 4 + math.sqrt(len(ix.adj[i])), colour(h), tip, label))
    parts.append("</g></svg>")
    return "\n".join(parts)


def _ring(count: int, radius: float, cx: float, cy: float, start: float = -math.pi / 2) -> list[tuple[float, float]]:
    return [(cx + radius * math.cos(start + 2 * math.pi * k / count),
             cy + radius * math.sin(start + 2 * math.pi * k / count)) for k in range(count)]


def _spread(wanted: list[tuple[float, str]]) -> list[tuple[str, float]]:
    """Angles as close to the wanted ones as keeps neighbours at least a sixteenth of a turn apart
    (closer when there are more than 16): push forward in order, then centre on the wanted angles."""
    if not wanted:
        return []
    gap = 2 * math.pi / max(len(wanted), 16)
    angles = [wanted[0][0]]
    for angle, _ in wanted[1:]:
        angles.append(max(angle, angles[-1] + gap))
    shift = sum(a - w for a, (w, _) in zip(angles, wanted)) / len(wanted)
    return [(h, a - shift) for a, (_, h) in zip(angles, wanted)]


def _primary(s: Suggestion, ix: NetworkIndex, places: dict[int, tuple[float, float]]) -> int | None:
    """The strongest introducer of s drawn on the inner ring (lowest handle among equals)."""
    shown = [i for i in s.introducers if ix.ids[i.handle] in places]
    if not shown:
        return None
    best = min(shown, key=lambda i: (-STRENGTHS.index(i.strength), i.handle))
    return ix.ids[best.handle]


def circle_svg(community: Community, ix: NetworkIndex, handle: str, suggestions: Sequence[Suggestion],
               limit: int = 16, ident: str = "circle", entries: Sequence[Legend] | None = None) -> str:
    """A member's own circle: them, their confirmed connections, and people one introduction away.

    Dashed lines run only from introducers (members who introduce) to the people they could
    introduce; pending claims are not drawn. Pass the community's legend as `entries` when drawing
    many circles: computing it goes over every member, once per circle otherwise.
    """
    me = community.by_handle[handle]
    m = ix.ids[handle]
    strength = dict(zip(ix.adj[m], ix.strength[m]))
    inner = sorted(ix.adj[m], key=lambda j: (-strength[j], j))[:limit]
    inner.sort()
    outer = list(suggestions[:limit])
    size, c = 560.0, 280.0
    places = dict(zip(inner, _ring(len(inner), 120, c, c))) if inner else {}
    # Each person one introduction away sits beyond their strongest introducer (drawn on the ring),
    # joined to them alone: every introducer is in the tooltip and the text list.
    angle_of = {j: math.atan2(y - c, x - c) for j, (x, y) in places.items()}
    via = {s.handle: _primary(s, ix, places) for s in outer}
    wanted = [(angle_of.get(via[s.handle], 0.0), s.handle) for s in outer]
    far = {h: (c + 205 * math.cos(a), c + 205 * math.sin(a)) for h, a in _spread(sorted(wanted))}
    colour = _colour_of(community, entries)
    names_in = [community.by_handle[ix.handles[j]].name for j in inner]
    names_out = [community.by_handle[s.handle].name for s in outer]
    more = len(ix.adj[m]) - len(inner)
    desc = (f"{me.name} in the middle; {len(ix.adj[m])} confirmed connection(s) around them"
            + (f": {', '.join(names_in)}" if names_in else "") + (f" and {more} more" if more > 0 else "")
            + f"; {len(outer)} people one introduction away on the outer ring"
            + (f": {', '.join(names_out)}." if names_out else "."))
    parts = _open(size, size, ident, f"{me.name}'s circle", desc, "circle-picture")
    # The lines of a kind as one path of segments: a dash pattern starts again at each segment, as on
    # a line of its own, and a hub's circle is a third smaller than with a <line> each.
    segments: dict[str, list[str]] = {kind: [] for kind in ("via", *STRENGTHS)}  # painted in this order
    # Each point written once, for its line and its node: formatting numbers was most of a circle's time.
    inner_at = {j: (_f(x), _f(y)) for j, (x, y) in places.items()}
    far_at = {h: (_f(x), _f(y)) for h, (x, y) in far.items()}
    middle = f"{_f(c)} {_f(c)}"
    for s in outer:
        if (j := via[s.handle]) is not None:
            segments["via"].append(f"M{' '.join(inner_at[j])}L{' '.join(far_at[s.handle])}")
    for j in places:
        segments[STRENGTHS[strength[j]]].append(f"M{middle}L{' '.join(inner_at[j])}")
    parts.append('<g class="links">')
    parts.extend(f'<path class="{kind}" d="{"".join(d)}"/>' for kind, d in segments.items() if d)
    parts.append('</g><g class="members">')
    for s in outer:
        (x, y), (fx, fy) = far[s.handle], far_at[s.handle]
        name = community.by_handle[s.handle].name
        intro = ", ".join(community.by_handle[i.handle].name for i in s.introducers)
        parts.append(_drawn(fx, fy, "7", colour(s.handle), f"{name} — one introduction away, through {intro}",
                            _short(name), _f(_label_y(y, 7, y < c))))  # labels away from the middle
    for j, (x, y) in places.items():
        h = ix.handles[j]
        name = community.by_handle[h].name
        fx, fy = inner_at[j]
        parts.append(_drawn(fx, fy, "9", colour(h), f"{name} — {STRENGTHS[strength[j]]} connection",
                            _short(name), _f(_label_y(y, 9, y < c))))
    parts.append(_node(c, c, 16, colour(handle), me.name, _short(me.name, 24), bold=True))
    parts.append("</g></svg>")
    return "\n".join(parts)
