"""`connectory intros` and `connectory path` output: the network's answers as text or JSON.

Pure functions over the community and its index; cli.py loads, calls and exits.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass

from .errors import UsageError
from .graph import Network, build_network
from .introductions import Reach
from .models import Community
from .netindex import NetworkIndex, build_index
from .paths import hops
from .reasons import reason_sentence, reason_texts


@dataclass(frozen=True)
class Prepared:
    """A checked community with its network and index, ready for questions."""

    community: Community
    network: Network
    index: NetworkIndex

    def name(self, handle: str) -> str:
        return self.community.by_handle[handle].name


def prepare(community: Community) -> Prepared:
    """Build the network and its index once."""
    network = build_network(community)
    return Prepared(community, network, build_index(community, network))


def resolve(p: Prepared, handle: str) -> str:
    """The handle itself when a member has it; otherwise a usage error with the closest matches."""
    if handle in p.index.ids:
        return handle
    wanted = handle.strip().casefold()
    named = [m.handle for m in p.community.members if wanted and wanted in m.name.casefold()]
    close = difflib.get_close_matches(wanted, p.index.handles, n=3, cutoff=0.6)
    options = list(dict.fromkeys(close + named))[:3]
    hint = f"; did you mean {' or '.join(f'`{o}`' for o in options)}?" if options else \
        "; a handle is the file name of a profile in content/members/, without .md"
    raise UsageError(f"no member has the handle `{handle}`{hint}")


def intros_json(p: Prepared, reach: Reach) -> str:
    """{"member", "suggestions": [{"handle", "introducers", "score", "reasons"}]}, best first."""
    data = {"member": reach.handle, "suggestions": [
        {"handle": s.handle, "introducers": [i.handle for i in s.introducers], "score": s.score,
         "reasons": reason_texts(s, p.name)} for s in reach.suggestions]}
    return json.dumps(data, ensure_ascii=False, indent=2)


def intros_text(p: Prepared, reach: Reach) -> str:
    """A numbered list for people: name, handle, score, and the reasons in one sentence."""
    me = p.name(reach.handle)
    if not reach.suggestions:
        why = ("none of their confirmed connections introduces people yet"
               if p.index.adj[p.index.ids[reach.handle]] else "they have no confirmed connection yet")
        return f"Nobody is one introduction away from {me}: {why}."
    shown = len(reach.suggestions)
    of = f" (top {shown} of {reach.candidates}; --all lists everyone)" if shown < reach.candidates else ""
    lines = [f"People {me} could meet{of}:"]
    for n, s in enumerate(reach.suggestions, 1):
        lines.append(f"{n:>3}. {p.name(s.handle)} ({s.handle}), score {s.score}")
        lines.append(f"     {reason_sentence(s, p.name)}")
    return "\n".join(lines)


def path_json(a: str, b: str, chain: tuple[str, ...] | None) -> str:
    """{"from", "to", "degrees", "path"}: degrees and path are null when no chain exists."""
    return json.dumps({"from": a, "to": b, "degrees": len(chain) - 1 if chain else None,
                       "path": list(chain) if chain else None}, ensure_ascii=False, indent=2)


def path_text(p: Prepared, a: str, b: str, chain: tuple[str, ...] | None) -> str:
    """The chain with every hop's strength and context, or why there is none."""
    if chain is None:
        return (f"No chain of confirmed connections links {p.name(a)} and {p.name(b)} yet. "
                "(A connection counts once both members list each other.)")
    degrees = len(chain) - 1
    lines = [" → ".join(p.name(h) for h in chain) +
             f": {degrees} degree{'s' * (degrees != 1)} of separation"]
    for hop in hops(p.network, chain):
        since = f", since {hop.since}" if hop.since else ""
        context = f": {hop.context}" if hop.context else ""
        lines.append(f"  {p.name(hop.source)} → {p.name(hop.target)} ({hop.strength}{since}){context}")
    return "\n".join(lines)
