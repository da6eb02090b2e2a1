"""Topics as the site shows them (who works in each, is interested, offers, asks) and the search filters."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from .models import Community, Member, reading_key, topic_slugs


@dataclass(frozen=True)
class Topic:
    """One topic and the members who name it, each list in reading order (models.reading_key); offers and asks
    carry their detail."""

    name: str
    slug: str
    fields: tuple[str, ...] = ()
    interests: tuple[str, ...] = ()
    offers: tuple[tuple[str, str], ...] = ()  # (handle, detail)
    asks: tuple[tuple[str, str], ...] = ()
    open_to: tuple[str, ...] = ()

    @property
    def members(self) -> tuple[str, ...]:
        """Everyone who names the topic in any way, once each, sorted."""
        return tuple(sorted({*self.fields, *self.interests, *(h for h, _ in self.offers),
                             *(h for h, _ in self.asks), *self.open_to}))


def topic_index(community: Community) -> tuple[Topic, ...]:
    """Every topic any member names, sorted by name, with a distinct URL slug each."""
    fields: defaultdict[str, list[str]] = defaultdict(list)
    interests: defaultdict[str, list[str]] = defaultdict(list)
    offers: defaultdict[str, list[tuple[str, str]]] = defaultdict(list)
    asks: defaultdict[str, list[tuple[str, str]]] = defaultdict(list)
    open_to: defaultdict[str, list[str]] = defaultdict(list)
    for m in sorted(community.members, key=reading_key):  # so every list below is in reading order
        handle = m.handle
        for topic in m.fields:
            fields[topic].append(handle)
        for topic in m.interests:
            interests[topic].append(handle)
        for help_ in m.offers:
            offers[help_.topic].append((handle, help_.detail))
        for help_ in m.asks:
            asks[help_.topic].append((handle, help_.detail))
        for topic in m.open_to:
            open_to[topic].append(handle)
    names = sorted({*fields, *interests, *offers, *asks, *open_to})
    slugs = topic_slugs(names)
    none: tuple[()] = ()
    return tuple(Topic(name, slugs[name], tuple(fields.get(name, none)), tuple(interests.get(name, none)),
                       tuple(offers.get(name, none)), tuple(asks.get(name, none)), tuple(open_to.get(name, none)))
                 for name in names)


# The search filters, in the order the directory shows them: (Pagefind filter name, label).
FILTERS = (("field", "Field"), ("interest", "Interest"), ("offers", "Offers"), ("asks", "Asks"),
           ("location", "Location"), ("open_to", "Open to"))


def filter_values(member: Member) -> dict[str, tuple[str, ...]]:
    """The values a member's profile page declares for each search filter."""
    return {"field": member.fields, "interest": member.interests,
            "offers": tuple(h.topic for h in member.offers), "asks": tuple(h.topic for h in member.asks),
            "location": (member.location,) if member.location else (), "open_to": member.open_to}


@dataclass(frozen=True)
class FilterGroup:
    """One search filter with every value and how many members have it, most common first."""

    key: str
    label: str
    values: tuple[tuple[str, int], ...]


def filter_groups(community: Community) -> tuple[FilterGroup, ...]:
    """The counts the directory shows before any search, matching what Pagefind indexes."""
    counts: dict[str, Counter[str]] = {key: Counter() for key, _ in FILTERS}
    for member in community.members:
        for key, values in filter_values(member).items():
            counts[key].update(values)
    return tuple(FilterGroup(key, label, tuple(sorted(counts[key].items(), key=lambda kv: (-kv[1], kv[0]))))
                 for key, label in FILTERS)
