"""A deterministic synthetic community: N member profiles written as real files.

    python benchmarks/synth.py --members 10000 [--seed 1] [--mean-degree 15] OUT

writes OUT/content/site.yaml and OUT/content/members/<handle>.md. The same arguments always give
byte-identical files (one seeded random stream, no set or dict order that depends on hashing).

What makes it realistic enough to measure with:
- connections grow by preferential attachment with triadic closure (Holme-Kim), so there are
  hubs, friends of friends who know each other, and members with no connection at all; about
  90% of connections are listed by both members (confirmed), the rest by one side (pending);
- topics come from a long-tailed (Zipf) vocabulary of a few thousand, so a few are everywhere
  and most are rare, and asks meet offers on the common ones;
- bios are 150-400 words of Markdown with a list and a link; names come from many places.
"""

from __future__ import annotations

import argparse
import functools
import itertools
import json
import os
import random
import re
import sys
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

if __package__ in (None, ""):  # run as a script: make `benchmarks` and `generator` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import words
from generator.writer import write_file

VERSION = 1  # bump when the output changes, so cached corpora are regenerated
CONFIRMED_SHARE = 0.9
NO_INTRODUCTIONS_SHARE = 0.03
MAX_DEGREE = 250  # the schema allows 300 listed connections; hubs stop growing below that
ZIPF_EXPONENT = 1.05
VOCABULARY_SIZE = 3000


@dataclass(frozen=True)
class Stats:
    """What was written: counts a benchmark report quotes next to its timings."""

    members: int
    confirmed: int  # connections listed on both sides
    pending: int  # one-sided claims
    max_degree: int
    no_introductions: int
    bytes: int
    seconds: float

    @property
    def mean_degree(self) -> float:
        return 2 * self.confirmed / self.members if self.members else 0.0


def default_mean_degree(members: int) -> float:
    """Mean confirmed connections: 15 up to 10k members (as the issue's baseline corpus), 20 above."""
    return 15.0 if members <= 10_000 else 20.0


def vocabulary(rng: random.Random, size: int = VOCABULARY_SIZE) -> list[str]:
    """Topics, most popular first: the common ones, then qualified domains in a seeded order."""
    tail = [f"{q} {d}" for q, d in itertools.product(words.QUALIFIERS, words.DOMAINS)]
    rng.shuffle(tail)
    head = list(dict.fromkeys(words.COMMON_TOPICS + words.DOMAINS))
    return (head + tail)[:size]


def zipf_picker(rng: random.Random, items: list[str], exponent: float = ZIPF_EXPONENT) -> Callable[[int], list[str]]:
    """A function drawing k distinct items, the r-th most popular with weight 1 / r**exponent."""
    cumulative = list(itertools.accumulate(1.0 / (rank ** exponent) for rank in range(1, len(items) + 1)))

    def pick(k: int) -> list[str]:
        drawn = rng.choices(items, cum_weights=cumulative, k=k + 3)
        return list(dict.fromkeys(drawn))[:k]

    return pick


_FOLD = str.maketrans({"ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ß": "ss",
                       "æ": "ae", "ı": "i", "'": ""})
_NOT_HANDLE = re.compile(r"[^a-z0-9]+")


def handle_of(ascii_name: str) -> str:
    """The handle a member would choose: their name folded to a-z0-9 and hyphens."""
    folded = unicodedata.normalize("NFKD", ascii_name.translate(_FOLD))
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch)).lower()
    return _NOT_HANDLE.sub("-", plain).strip("-")[:34].strip("-")


def people(rng: random.Random, n: int) -> list[tuple[str, str]]:
    """n distinct (name, handle) pairs; some with a middle initial, a few in their own script."""
    names: list[tuple[str, str]] = []
    seen_names: set[str] = set()
    taken: set[str] = set()
    while len(names) < n:
        if rng.random() < 0.02:
            name, roman = rng.choice(words.NATIVE_NAMES)
        else:
            first, last = rng.choice(words.FIRST_NAMES), rng.choice(words.LAST_NAMES)
            middle = f" {chr(65 + rng.randrange(26))}." if rng.random() < 0.4 else ""
            name = roman = f"{first}{middle} {last}"
        if name in seen_names and rng.random() < 0.98:  # a namesake now and then, as in life
            continue
        base = handle = handle_of(roman)
        for k in itertools.count(2):
            if handle not in taken:
                break
            handle = f"{base}-{k}"
        seen_names.add(name)
        taken.add(handle)
        names.append((name, handle))
    return names


def network(rng: random.Random, n: int, mean_degree: float, cap: int = MAX_DEGREE) -> list[tuple[int, int]]:
    """Undirected edges grown by preferential attachment with triadic closure, degrees capped.

    Each newcomer links to a number of earlier members drawn from an exponential distribution
    (so some link to nobody): mostly to well-connected members (picked in proportion to degree),
    often to a friend of the member just picked (which closes triangles), sometimes at random.
    """
    adjacency: list[list[int]] = [[] for _ in range(n)]
    ends: list[int] = []  # every edge end once: a uniform pick is a pick in proportion to degree
    edges: list[tuple[int, int]] = []
    rate = 2.0 / mean_degree
    for v in range(1, n):
        wanted = min(round(rng.expovariate(rate)), v, cap)
        chosen: list[int] = []
        for _ in range(4 * wanted + 4):
            if len(chosen) >= wanted:
                break
            roll = rng.random()
            if chosen and roll < 0.35 and adjacency[chosen[-1]]:
                friends = adjacency[chosen[-1]]
                target = friends[rng.randrange(len(friends))]
            elif ends and roll < 0.85:
                target = ends[rng.randrange(len(ends))]
            else:
                target = rng.randrange(v)
            if target == v or target in chosen or len(adjacency[target]) >= cap:
                continue
            chosen.append(target)
            adjacency[v].append(target)
            adjacency[target].append(v)
            ends += (v, target)
            edges.append((v, target))
    return edges


_PLAIN = re.compile(r"^[a-z][a-z0-9 +.-]*$")
_YAML_WORDS = {"yes", "no", "true", "false", "on", "off", "null", "y", "n"}


@functools.lru_cache(maxsize=65536)  # the same topics and sentences are quoted again and again
def q(text: str) -> str:
    """A YAML scalar: plain when it is unambiguous, else double-quoted (JSON is valid YAML)."""
    if _PLAIN.match(text) and text not in _YAML_WORDS:
        return text
    return json.dumps(text, ensure_ascii=False)


def _spell(rng: random.Random, topic: str) -> str:
    """Topics as members type them: mostly lowercase, sometimes capitalised or abbreviated."""
    roll = rng.random()
    if roll < 0.03:
        return {"machine learning": "ML", "javascript": "JS"}.get(topic, topic.title())
    return topic.title() if roll < 0.06 else topic


def _helps(rng: random.Random, topics: list[str]) -> list[str]:
    lines = []
    for topic in topics:
        if rng.random() < 0.4:
            lines += [f"  - topic: {q(_spell(rng, topic))}", f"    detail: {q(rng.choice(words.DETAILS))}"]
        else:
            lines.append(f"  - {q(_spell(rng, topic))}")
    return lines


def _claim(rng: random.Random, handle: str) -> list[str]:
    if rng.random() < 0.5:
        return [f"  - {handle}"]
    lines = [f"  - handle: {handle}", f"    context: {q(rng.choice(words.CONTEXTS))}"]
    roll = rng.random()
    if roll < 0.5:
        lines.append(f"    strength: {'close' if roll < 0.2 else 'regular'}")
    if rng.random() < 0.5:
        lines.append(f"    since: {rng.randint(2005, 2025)}")
    return lines


def _bio(rng: random.Random, name: str, handle: str, city: str, mine: list[str], offers: list[str]) -> str:
    def sentences(k: int) -> str:
        return " ".join(rng.choice(words.SENTENCES).format(t=rng.choice(mine), t2=rng.choice(mine), c=city)
                        for _ in range(k))

    first = name.split()[0]
    items = [f"- **{t}**: {rng.choice(words.DETAILS)}" if rng.random() < 0.5 else f"- {t}"
             for t in (offers + mine)[:rng.randint(3, 5)]]
    url = f"https://{handle}.example.org/"
    return "\n".join([
        f"Hi, I am {first}. {sentences(rng.randint(4, 8))}", "", rng.choice(words.LIST_INTROS), "", *items, "",
        sentences(rng.randint(4, 9)), "", rng.choice(words.LINK_LINES).format(url=url), ""])


def profile(rng: random.Random, name: str, handle: str, claims: list[list[str]],
            topic: Callable[[int], list[str]], introduces: bool) -> str:
    """One member's file: front matter written as YAML text (faster than a dumper), then the bio."""
    city = rng.choice(words.CITIES)
    fields, interests = topic(rng.randint(1, 3)), topic(rng.randint(2, 6))
    offers, asks = topic(rng.randint(1, 4)), topic(rng.randint(1, 3))
    field2 = interests[0]
    lines = ["---", f"name: {q(name)}"]
    if rng.random() < 0.5:
        lines.append(f"pronouns: {rng.choice(words.PRONOUNS)}")
    headline = rng.choice(words.HEADLINES).format(field=fields[0], field2=field2, city=city)
    lines += [f"headline: {q(headline[0].upper() + headline[1:])}", f"location: {q(city)}"]
    lines += ["fields:", *(f"  - {q(_spell(rng, t))}" for t in fields)]
    lines += ["interests:", *(f"  - {q(_spell(rng, t))}" for t in interests)]
    lines += ["offers:", *_helps(rng, offers), "asks:", *_helps(rng, asks)]
    if claims:
        lines += ["connections:", *itertools.chain.from_iterable(claims)]
    if not introduces:
        lines.append("introductions: false")
    if rng.random() < 0.6:
        lines.append(f"open_to: [{', '.join(rng.sample(words.OPEN_TO, rng.randint(1, 3)))}]")
    lines += ["links:", f"  website: https://{handle}.example.org/"]
    if rng.random() < 0.5:
        lines.append(f"  github: {handle}")
    if rng.random() < 0.2:
        lines.append(f"  mastodon: \"@{handle.replace('-', '_')[:30]}@social.example\"")
    if rng.random() < 0.3:
        lines.append(f"email: {handle}@example.org")
    lines.append(f"joined: {rng.randint(2019, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}")
    lines += ["---", _bio(rng, name, handle, city, fields + interests, offers)]
    return "\n".join(lines)


def generate(out: Path, members: int, seed: int = 1, mean_degree: float | None = None) -> Stats:
    """Write the community under out/content/ (out/content/members must not hold other files)."""
    start = time.perf_counter()
    rng = random.Random(seed)
    mean_degree = default_mean_degree(members) if mean_degree is None else mean_degree
    pick = zipf_picker(rng, vocabulary(rng))
    folks = people(rng, members)
    edges = network(rng, members, mean_degree / CONFIRMED_SHARE)
    listed: list[list[list[str]]] = [[] for _ in range(members)]
    confirmed = pending = 0
    for a, b in edges:
        if rng.random() < CONFIRMED_SHARE:
            confirmed += 1
            listed[a].append(_claim(rng, folks[b][1]))
            listed[b].append(_claim(rng, folks[a][1]))
        else:
            pending += 1
            a, b = (a, b) if rng.random() < 0.5 else (b, a)
            listed[a].append(_claim(rng, folks[b][1]))
    folder = out / "content" / "members"
    folder.mkdir(parents=True, exist_ok=True)
    (out / "content" / "site.yaml").write_text(
        f"title: Synthetic community ({members:,} members, seed {seed})\n"
        "description: Generated by benchmarks/synth.py to measure Connectory.\n"
        "aliases:\n  ml: machine learning\n  js: javascript\n", encoding="utf-8")
    total = silent = 0
    for i, (name, handle) in enumerate(folks):
        introduces = rng.random() >= NO_INTRODUCTIONS_SHARE
        silent += not introduces
        data = profile(rng, name, handle, listed[i], pick, introduces).encode()
        listed[i] = []  # let the claims go as soon as they are written
        write_file(os.path.join(folder, f"{handle}.md"), data)
        total += len(data)
    degree = [0] * members
    for a, b in edges:
        degree[a] += 1
        degree[b] += 1
    return Stats(members, confirmed, pending, max(degree, default=0), silent, total,
                 time.perf_counter() - start)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write content/ into")
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--mean-degree", type=float, default=None,
                        help="mean confirmed connections per member (default: 15 up to 10k, 20 above)")
    args = parser.parse_args(argv)
    stats = generate(args.out, args.members, args.seed, args.mean_degree)
    print(f"{stats.members:,} members, {stats.confirmed:,} confirmed connections "
          f"(mean degree {stats.mean_degree:.1f}, max {stats.max_degree}), {stats.pending:,} pending, "
          f"{stats.no_introductions:,} not introducing, {stats.bytes / 2**20:.1f} MiB in {stats.seconds:.1f} s")


if __name__ == "__main__":
    main()
