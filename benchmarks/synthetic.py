"""A deterministic synthetic community, built directly as Member objects (no files).

Connections follow the Holme-Kim model (preferential attachment plus triad formation), so there
are hubs with thousands of connections and friends of friends tend to know each other, as in a
real community. Topics come from long-tailed (Zipf) vocabularies, so a few fields are shared by
many and most asks are specific. Some claims stay one-sided (pending) and some members do not
introduce, as the rules of introductions must cope with both.
"""

from __future__ import annotations

import random
from itertools import accumulate

from generator.models import Claim, Community, Help, Member, SiteConfig

STRENGTH_WEIGHTS = (("acquaintance", 0.5), ("regular", 0.35), ("close", 0.15))


def _zipf(size: int) -> list[float]:
    return list(accumulate(1.0 / (rank + 1) for rank in range(size)))


def _edges(n: int, half_degree: int, triad: float, rng: random.Random) -> list[set[int]]:
    """Holme-Kim: each newcomer links to `half_degree` members, mean degree 2 * half_degree."""
    adj: list[set[int]] = [set() for _ in range(n)]
    seed = half_degree + 1
    for a in range(seed):  # a small clique to start from
        adj[a].update(b for b in range(seed) if b != a)
    ends = [a for a in range(seed) for _ in range(half_degree)]  # each member once per link end
    for new in range(seed, n):
        target = rng.choice(ends)
        chosen = {target}
        while len(chosen) < half_degree:
            friends = adj[target] - chosen - {new}
            if friends and rng.random() < triad:
                chosen.add(rng.choice(sorted(friends)))
            else:
                target = rng.choice(ends)
                chosen.add(target)
        for other in chosen:
            adj[new].add(other)
            adj[other].add(new)
            ends += (new, other)
    return adj


def community(n: int, mean_degree: int = 20, seed: int = 7, pending: float = 0.05,
              non_introducers: float = 0.1) -> Community:
    """n members with about `mean_degree` confirmed connections each."""
    rng = random.Random(seed)
    adj = _edges(n, max(1, mean_degree // 2), 0.3, rng)
    handles = [f"m{i:06d}" for i in range(n)]
    fields = [f"field {i}" for i in range(80)]
    topics = [f"topic {i}" for i in range(3000)]
    field_w, topic_w = _zipf(len(fields)), _zipf(len(topics))
    names, weights = zip(*STRENGTH_WEIGHTS)
    strength = {}
    members = []
    for i in range(n):
        claims = []
        for j in sorted(adj[i]):
            key = (min(i, j), max(i, j))
            if key not in strength:
                strength[key] = rng.choices(names, weights)[0]
            claims.append(Claim(handles[j], f"context {key[0]}-{key[1]}", strength[key]))
        if rng.random() < pending * len(adj[i]) / mean_degree:
            other = rng.randrange(n)
            if other != i and other not in adj[i]:
                claims.append(Claim(handles[other]))
        members.append(Member(
            handle=handles[i], name=f"Member {i}", source=f"content/members/{handles[i]}.md",
            fields=tuple(dict.fromkeys(rng.choices(fields, cum_weights=field_w, k=rng.randint(1, 3)))),
            interests=tuple(dict.fromkeys(rng.choices(topics, cum_weights=topic_w, k=rng.randint(1, 5)))),
            offers=tuple(Help(t) for t in dict.fromkeys(rng.choices(topics, cum_weights=topic_w,
                                                                     k=rng.randint(0, 4)))),
            asks=tuple(Help(t) for t in dict.fromkeys(rng.choices(topics, cum_weights=topic_w,
                                                                   k=rng.randint(0, 3)))),
            claims=tuple(claims), introduces=rng.random() >= non_introducers))
    return Community(SiteConfig(title="Synthetic"), tuple(members))
