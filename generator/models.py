"""Plain frozen data: the community as the rest of the pipeline sees it."""

from __future__ import annotations

import functools
import gc
import re
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator, Mapping

@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Build a model without the cycle collector: it holds no cycles, and each collection would walk
    every object made so far (millions at 100,000 members), close to half the time of building it."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


# Weakest first: the index is the weight a connection of that strength carries.
STRENGTHS = ("acquaintance", "regular", "close")


class Compact:
    """Pickled as its class and its fields' values, rebuilt by calling the class.

    Loading sends every member from a worker process: a frozen dataclass is otherwise rebuilt
    field by field in Python, which at 100,000 members and millions of claims took seconds.
    """

    __slots__ = ()
    __match_args__: tuple[str, ...]  # set by @dataclass: the fields, in the order __init__ takes them

    def __reduce__(self) -> tuple[type, tuple[object, ...]]:
        return type(self), tuple(getattr(self, name) for name in self.__match_args__)


@dataclass(frozen=True, slots=True)  # millions of them at 100,000 members: no __dict__ each
class Help(Compact):
    """An offer or an ask: a normalised topic and, optionally, what exactly."""

    topic: str
    detail: str = ""


@dataclass(frozen=True, slots=True)  # millions of them at 100,000 members: no __dict__ each
class Claim(Compact):
    """One member's listing of another; it becomes a connection only when listed back."""

    handle: str
    context: str = ""
    strength: str = "acquaintance"
    since: str = ""
    last_met: str = ""


@dataclass(frozen=True, slots=True)  # millions of them at 100,000 members: no __dict__ each
class Link(Compact):
    """A link on a profile: its key (website, github, ...), the text shown, and an http(s) URL."""

    kind: str
    label: str
    url: str


@dataclass(frozen=True)
class Member(Compact):
    """One member profile, validated and normalised."""

    handle: str
    name: str
    source: str  # the profile's path relative to the community folder
    pronouns: str = ""
    headline: str = ""
    location: str = ""
    fields: tuple[str, ...] = ()
    interests: tuple[str, ...] = ()
    offers: tuple[Help, ...] = ()
    asks: tuple[Help, ...] = ()
    claims: tuple[Claim, ...] = ()
    introduces: bool = True
    open_to: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    contact: str = ""
    email: str = ""
    avatar: str = ""  # path under content/, e.g. avatars/ada.png; "" for a generated one
    joined: str = ""
    draft: bool = False
    bio: str = ""  # Markdown source, not yet rendered

    @property
    def topics(self) -> tuple[str, ...]:
        """Every topic the member names, each once, in profile order."""
        seen = dict.fromkeys(self.fields + self.interests + tuple(h.topic for h in self.offers + self.asks)
                             + self.open_to)
        return tuple(seen)


@dataclass(frozen=True)
class SiteConfig:
    """content/site.yaml."""

    title: str = "Our community"
    description: str = ""
    base_url: str = "/"
    language: str = "en"
    theme: str = "default"
    maintainers: tuple[str, ...] = ()
    aliases: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Page:
    """An extra page of the site (content/pages/<slug>.md): About, Code of conduct, ..."""

    slug: str  # the file name without .md; a valid handle, so it is safe in a URL
    title: str
    source: str  # path relative to the community folder
    body: str = ""  # Markdown source, not yet rendered


@dataclass(frozen=True)
class Community:
    """Every published member, sorted by handle, and the extra pages sorted by slug, with the site's configuration."""

    config: SiteConfig
    members: tuple[Member, ...]
    by_handle: Mapping[str, Member] = field(init=False, repr=False, compare=False)
    pages: tuple[Page, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_handle", {m.handle: m for m in self.members})


# Letters NFKD keeps whole that readers file under a Latin base letter (Łukasz under L, Ødegaard under O).
_FOLD = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ħ": "h", "ı": "i"})


def reading_key(member: Member) -> tuple[str, str]:
    """Where a member goes in lists people read: by name, case and accents aside, then by handle.

    Handles are transliterations, so ordering by them scattered names in other scripts among the
    Latin ones. No locale is consulted, so every build orders alike; names in other scripts come
    after the Latin ones, grouped by script.
    """
    decomposed = unicodedata.normalize("NFKD", member.name.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_FOLD), member.handle


_SPACES = re.compile(r"\s+")


def normalise_topic(text: str, aliases: Mapping[str, str] | None = None) -> str:
    """Trim, case-fold and collapse inner spaces; then map through the site's aliases."""
    topic = _normal(text) if len(text) <= 100 else _normal.__wrapped__(text)  # a long one fills no cache
    return aliases.get(topic, topic) if aliases else topic


@functools.lru_cache(maxsize=65536)  # a community's topics recur from profile to profile
def _normal(text: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip().casefold()


_SLUG_WORDS = {"+": " plus ", "#": " sharp ", "&": " and ", "@": " at "}
_NON_WORD = re.compile(r"[^\w]+")


def slugify(text: str) -> str:
    """A URL-safe slug that keeps letters of every script: "C++" -> "c-plus-plus", "música" -> "música"."""
    for sym, word in _SLUG_WORDS.items():
        text = text.replace(sym, word)
    slug = _NON_WORD.sub("-", unicodedata.normalize("NFKC", text).casefold()).strip("-_")
    return slug or "topic"


# Names Windows cannot create as files or folders, whatever the extension.
WINDOWS_DEVICE_NAMES = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
                                  *(f"lpt{i}" for i in range(10))})


def topic_slugs(topics: list[str] | set[str]) -> dict[str, str]:
    """A distinct slug for every topic; topics whose slugs collide get -2, -3 in sorted order."""
    slugs: dict[str, str] = {}
    taken: set[str] = set(WINDOWS_DEVICE_NAMES)  # a topic "con" gets con-2: no folder topics/con/ on Windows
    for topic in sorted(topics):
        base = slug = slugify(topic)
        n = 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        slugs[topic] = slug
    return slugs
