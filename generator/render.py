"""Render the site: every page and file as (output path, bytes). Pure: reads nothing, writes nothing
itself; given a `store` (writer.FolderWriter), the member and topic pages go to it in the process
that rendered them, and only what it returns (their paths) comes back in the stream.

Each producer in PRODUCERS yields the outputs of one kind of page from the shared Context. A new
kind of page is one more producer (a function taking the Context) added to that tuple, plus its
template in the theme; `Context.page()` renders a template at a URL path with the common values.

URLs are root-relative with the base URL's path as prefix (`/community/members/ada/`): they work
on every page, including a 404 page served at any depth, which relative URLs would not. Absolute
URLs (canonical, OpenGraph, sitemap, feed) are made only when the base URL is absolute.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, Callable, Iterator, Mapping, Sequence
from urllib.parse import quote, urlsplit

from jinja2 import TemplateError
from markupsafe import Markup, escape

from . import feeds
from .avatars import Avatar, avatar_for
from .contact import hide_email
from .graph import Network
from .markup import converter
from .models import Community, Member, reading_key
from .parallel import ordered_map
from .render_network import NetworkView, member_pages, network_context_files, network_pages, profile_values
from .theme import Theme, template_error
from .topics import Topic, filter_groups, topic_index

Output = tuple[str, bytes]
# What quote() leaves as it is (its always-safe characters and "/"): handles and slugs are all of these,
# so most links skip quoting, which was a tenth of the time spent rendering member pages.
_UNQUOTED = re.compile(r"[A-Za-z0-9_.~/-]*")


def _quoted(path: str) -> str:
    """quote(path), without its cost when nothing needs quoting."""
    return path if _UNQUOTED.fullmatch(path) else quote(path)


Written = tuple[str, None]  # an output the store has already written (writer.Written)
Store = Callable[[list[Output]], list[Written]]


def normalise_base_url(text: str) -> str | None:
    """`https://host/path/` or `/path/`, always ending in a slash; None when it is neither."""
    text = text.strip()
    parts = urlsplit(text)
    if parts.query or parts.fragment or any(c.isspace() for c in text):
        return None
    if parts.scheme in ("http", "https") and parts.netloc:
        return text if text.endswith("/") else text + "/"
    if not parts.scheme and not parts.netloc and text.startswith("/") and not text.startswith("//"):
        return text if text.endswith("/") else text + "/"
    return None


@dataclass(frozen=True)
class Links:
    """Every URL the templates write, from one base URL (normalised: ends with a slash)."""

    base_url: str
    slugs: Mapping[str, str] = field(default_factory=dict)  # topic -> slug
    avatars: Mapping[str, str] = field(default_factory=dict)  # handle -> output path
    # The link to each member (with their name) and each topic as markup, made once by with_anchors():
    # the introductions lists write the same few people and topics hundreds of times per member.
    person_anchors: Mapping[str, Markup] = field(default_factory=dict)  # handle -> <a href="…">name</a>
    topic_anchors: Mapping[str, Markup] = field(default_factory=dict)  # topic -> <a href="…">topic</a>
    members: Mapping[str, Member] = field(default_factory=dict)  # handle -> member, for listed()
    # Every list of people (connections, suggestions, a topic's members) shows each person the same way
    # on every page: made the first time a page lists them, in the process rendering it, and kept.
    # A render worker makes only the people its pages show; the parent holds no copy of everyone's.
    _listed: dict[str, "Links.Listed"] = field(default_factory=dict, init=False, compare=False, repr=False)

    @dataclass(frozen=True, slots=True)
    class Listed:
        """A member as a list of people shows them."""

        avatar: Markup  # <img class="avatar avatar-small" …>, decorative: the name follows
        name: Markup  # <a class="person-name" href="…">name</a>
        name_and_headline: Markup  # the name, then on a line of its own <span class="person-headline"> if any

    def listed(self, handle: str) -> "Links.Listed":
        """The markup of a member in a list of people (made once per process)."""
        done = self._listed.get(handle)
        if done is None:
            member = self.members[handle]
            name = Markup(f'<a class="person-name" href="{escape(self.member(handle))}">{escape(member.name)}</a>')
            done = self._listed[handle] = Links.Listed(
                Markup(f'<img class="avatar avatar-small" src="{escape(self.avatar(handle))}" alt="" '
                       'width="40" height="40" loading="lazy">'),
                name, name + Markup(f'\n<span class="person-headline">{escape(member.headline)}</span>')
                if member.headline else name)
        return done

    def with_anchors(self, community: Community) -> "Links":
        """These links with an anchor for every member of the community and every topic, and the
        community's members to list."""
        # Made for every member in every build, so as plain strings first (a Markup in an f-string is
        # formatted slowly). A quoted path is safe in HTML as it is: only the base URL's path is escaped.
        prefix = str(escape(self.prefix))
        people = {m.handle: Markup(f'<a href="{prefix}{_quoted(f"members/{m.handle}/")}">{escape(m.name)}</a>')
                  for m in community.members}
        topics = {t: Markup(f'<a href="{escape(self.topic(t))}">{escape(t)}</a>') for t in self.slugs}
        return replace(self, person_anchors=people, topic_anchors=topics, members=community.by_handle)

    @property
    def absolute(self) -> bool:
        """Whether the base URL names a host, so canonical, sitemap and feed URLs can be absolute."""
        return "://" in self.base_url

    @cached_property
    def prefix(self) -> str:
        """The path every internal link starts with: `/` or `/community/`."""
        return urlsplit(self.base_url).path if self.absolute else self.base_url

    def page(self, path: str = "") -> str:
        """A root-relative link to an output path (`members/ada/`), percent-encoded."""
        return self.prefix + _quoted(path)

    def full(self, path: str = "") -> str:
        """The absolute URL when the base URL is absolute, else the root-relative link."""
        return (self.base_url + _quoted(path)) if self.absolute else self.page(path)

    def member(self, handle: str) -> str:
        return self.page(f"members/{handle}/")

    def topic(self, topic: str) -> str:
        return self.page(f"topics/{self.slugs[topic]}/")

    def asset(self, name: str) -> str:
        return self.page(f"assets/{name}")

    def avatar(self, handle: str) -> str:
        return self.page(self.avatars[handle])


@dataclass(frozen=True)
class SiteInput:
    """Everything the site is made from, already loaded and checked."""

    community: Community
    network: Network
    theme: Theme
    base_url: str = "/"
    images: Mapping[str, bytes] = field(default_factory=dict)  # handle -> the member's avatar file's bytes
    jobs: int = 1  # processes that render member pages (parallel.py); the output is the same for any number


@dataclass(frozen=True)
class Only:
    """An incremental build's share of the pages (incremental.py): the pages of these members and
    topics and the avatars of these members are rendered; every other member, topic and avatar
    file is the previous site's, linked in unchanged (`FolderWriter.keep`). Every other page of
    the site (the directory, lists, network pages, feeds) is rendered each time."""

    members: frozenset[str]  # handles
    topics: frozenset[str]  # topic names
    avatars: frozenset[str]  # handles
    # When set, only these members' own pages changed (a bio, say), and perhaps the path page's
    # hop-context files numbered in `contexts` (what a connection says): nothing else is rendered,
    # and these paths, every other file of the previous site, are kept.
    kept: frozenset[str] | None = None
    contexts: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Context:
    """What every producer shares: the input, the links, topics and avatars computed once."""

    site: SiteInput
    links: Links
    topics: tuple[Topic, ...]
    avatars: Mapping[str, Avatar]
    network: NetworkView
    store: Store | None = None  # writes member and topic pages where they are rendered (a worker)
    only: Only | None = None  # an incremental build: what to render; the rest is kept

    @classmethod
    def make(cls, site: SiteInput, store: Store | None = None) -> "Context":
        topics = topic_index(site.community)
        avatars = {m.handle: avatar_for(m, site.images.get(m.handle)) for m in site.community.members}
        links = Links(site.base_url, {t.name: t.slug for t in topics},
                      {h: a.path for h, a in avatars.items()}).with_anchors(site.community)
        return cls(site, links, topics, avatars, NetworkView.make(site.community, site.network), store)

    @property
    def community(self) -> Community:
        return self.site.community

    @cached_property
    def reading_order(self) -> Mapping[str, int]:
        """Each member's place in lists people read (models.reading_key), worked out once per build
        rather than for every connection on every profile."""
        return {m.handle: n for n, m in enumerate(sorted(self.community.members, key=reading_key))}

    @cached_property
    def bio_to_html(self) -> Callable[[str], str]:
        """Bios to safe HTML under the profile's "About" <h2>: one converter per process, as setting
        one up costs as much as converting a few bios (and member pages come in chunks of 40)."""
        return converter(top=3)

    def render(self, template: str, *, large: bool = False, **values: Any) -> bytes:
        """A template rendered with the values every page has, then the page's own.

        `large`: a page of every member (the directory: 90 MB at 100,000 members) is encoded a
        megabyte at a time as it is rendered, so that its millions of pieces and the whole page as
        text (up to four bytes a character) are never held at once beside the bytes."""
        common = {"site": self.community.config, "community": self.community, "links": self.links,
                  "avatars": self.avatars, "nav_pages": self.community.pages, "page_path": ""}
        env = self.site.theme.env
        try:
            page, context = env.get_template(template), {**common, **values}
            return b"".join(_encoded(page.generate(context))) if large else page.render(context).encode("utf-8")
        except TemplateError as exc:
            raise template_error(exc, template) from exc

    def page(self, path: str, template: str, **values: Any) -> Output:
        """An HTML page at a URL path (`topics/` -> topics/index.html; `` -> index.html)."""
        return path + "index.html", self.render(template, page_path=path, **values)


def _encoded(pieces: Iterator[str], size: int = 1 << 20) -> Iterator[bytes]:
    """Rendered pieces as UTF-8, about `size` characters at a time."""
    pending: list[str] = []
    held = 0
    for piece in pieces:
        pending.append(piece)
        held += len(piece)
        if held >= size:
            yield "".join(pending).encode("utf-8")
            pending.clear()
            held = 0
    yield "".join(pending).encode("utf-8")


def home(ctx: Context) -> Iterator[Output]:
    """The directory: every member as a card, and the search form with its filters."""
    from .models import no_cycle_collection  # here, as the rest of this module has no use for it

    # One page of thousands of cards, rendered beside the whole community in memory: the cycle
    # collector would walk all of it again and again, for a third of the page's time at 10,000 members.
    with no_cycle_collection():
        page = ctx.page("", "index.html", large=True, title=ctx.community.config.title,
                        members=sorted(ctx.community.members, key=reading_key), filters=filter_groups(ctx.community))
    yield page


def members(ctx: Context) -> Iterator[Output | Written]:
    """One profile page per member, and their introductions page: most of the work, so on every core
    (and written there, when there is a store)."""
    ctx.network.legend  # noqa: B018 - computed once here, before the workers are forked, not once in each
    ctx.reading_order  # noqa: B018 - the same
    handles = [m.handle for m in ctx.community.members]
    if ctx.only is not None:
        yield from _keep(ctx, (path for m in ctx.community.members if m.handle not in ctx.only.members
                               for path in member_paths(m)))
        handles = [h for h in handles if h in ctx.only.members]
    yield from ordered_map(member_chunk, ctx, handles, ctx.site.jobs, ctx.store)


def member_paths(m: Member) -> tuple[str, ...]:
    """The pages member_chunk makes for one member: the profile, and the introductions page
    (render_network.member_pages) unless it is a draft."""
    profile = f"members/{m.handle}/index.html"
    return (profile,) if m.draft else (profile, f"members/{m.handle}/introductions/index.html")


def _keep(ctx: Context, paths: Iterator[str]) -> list[Written]:
    keep = getattr(ctx.store, "keep", None)
    if keep is None:
        raise ValueError("an incremental render needs a store that keeps the previous site's files")
    return keep(paths)


def member_chunk(ctx: Context, handles: Sequence[str]) -> list[Output]:
    """The pages of some members, in the order given."""
    by_handle = ctx.community.by_handle
    to_html, order = ctx.bio_to_html, ctx.reading_order
    outputs: list[Output] = []
    for m in (by_handle[h] for h in handles):
        connections = sorted(((c, by_handle[c.handle]) for c in ctx.site.network.connections.get(m.handle, ())
                              if c.handle in by_handle), key=lambda pair: order[pair[1].handle])
        hidden = hide_email(m.handle, m.email) if m.email else None
        mine = ctx.network.member(m.handle)  # computed once for the profile and the introductions page
        outputs.append(ctx.page(f"members/{m.handle}/", "member.html", title=m.name, member=m,
                                bio=Markup(to_html(m.bio)), connections=connections, hidden_email=hidden,
                                person=person(ctx, m, [c for _, c in connections]),
                                **profile_values(ctx, mine)))
        outputs += member_pages(ctx, mine)
    return outputs


def person(ctx: Context, m: Member, known: list[Member]) -> dict[str, Any]:
    """The schema.org Person for a profile's JSON-LD (never the email address)."""
    links = ctx.links
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": "Person", "name": m.name,
                            "url": links.full(f"members/{m.handle}/"), "alternateName": m.handle}
    if not ctx.avatars[m.handle].generated:
        data["image"] = links.full(ctx.avatars[m.handle].path)
    if m.headline:
        data["description"] = m.headline
    if m.location:
        data["homeLocation"] = {"@type": "Place", "name": m.location}
    if m.fields or m.interests:
        data["knowsAbout"] = list(dict.fromkeys(m.fields + m.interests))
    if m.links:
        data["sameAs"] = [link.url for link in m.links]
    if known:
        data["knows"] = [{"@type": "Person", "name": k.name, "url": links.full(f"members/{k.handle}/")}
                         for k in known]
    return data


def topics(ctx: Context) -> Iterator[Output | Written]:
    """The list of topics and a page for each (thousands in a large community: on every core)."""
    yield ctx.page("topics/", "topics.html", title="Topics", topics=ctx.topics)
    chosen = ctx.topics
    if ctx.only is not None:
        yield from _keep(ctx, (f"topics/{t.slug}/index.html" for t in ctx.topics if t.name not in ctx.only.topics))
        chosen = tuple(t for t in ctx.topics if t.name in ctx.only.topics)
    yield from ordered_map(topic_chunk, ctx, [topic.slug for topic in chosen], ctx.site.jobs, ctx.store)


def topic_chunk(ctx: Context, slugs: Sequence[str]) -> list[Output]:
    """The pages of some topics, in the order given."""
    by_slug = {topic.slug: topic for topic in ctx.topics}
    return [ctx.page(f"topics/{slug}/", "topic.html", title=topic.name[:1].upper() + topic.name[1:], topic=topic)
            for slug, topic in ((slug, by_slug[slug]) for slug in slugs)]


def pages(ctx: Context) -> Iterator[Output]:
    """The organisers' pages from content/pages/, at /<slug>/."""
    to_html = converter(top=2)  # under the page's title
    for page in ctx.community.pages:
        yield ctx.page(f"{page.slug}/", "page.html", title=page.title, page=page, body=Markup(to_html(page.body)))


def not_found(ctx: Context) -> Iterator[Output]:
    """The page static hosts serve for a missing path; its links are root-relative so they work at any depth."""
    yield "404.html", ctx.render("404.html", title="Page not found", page_path="404.html")


def static(ctx: Context) -> Iterator[Output]:
    """The theme's assets and every member's avatar."""
    for name, data in ctx.site.theme.assets.items():
        yield f"assets/{name}", data
    if ctx.only is not None:
        yield from _keep(ctx, (ctx.avatars[h].path for h in sorted(ctx.avatars) if h not in ctx.only.avatars))
    for handle in sorted(ctx.avatars):
        if ctx.only is None or handle in ctx.only.avatars:
            yield ctx.avatars[handle].path, ctx.avatars[handle].data


Producer = Callable[[Context], Iterator[Output | Written]]
PRODUCERS: tuple[Producer, ...] = (home, members, topics, pages, network_pages, not_found, static)


def render_site(site: SiteInput, producers: tuple[Producer, ...] = PRODUCERS, store: Store | None = None,
                context: Context | None = None) -> Iterator[Output | Written]:
    """Every output of the site; the sitemap, feed and other machine files come last, from the pages made.

    With a `store`, the member and topic pages are handed to it where they are rendered and come
    back as (path, None); the site is the same either way. `context`, when given, is the one
    Context.make made for this site and store (an incremental build plans from it first)."""
    ctx = context if context is not None else Context.make(site, store)
    if ctx.only is not None and ctx.only.kept is not None:
        yield from _keep(ctx, iter(sorted(ctx.only.kept)))
        yield from ordered_map(member_chunk, ctx, sorted(ctx.only.members), ctx.site.jobs, ctx.store)
        if ctx.only.contexts:
            yield from network_context_files(ctx, ctx.only.contexts)
        return
    listed: list[str] = []
    drafts = {f"members/{m.handle}/index.html" for m in site.community.members if m.draft}
    for produce in producers:
        for path, data in produce(ctx):
            if path.endswith("index.html") and path not in drafts:
                listed.append(path)
            yield path, data
    yield from feeds.machine_files(ctx, sorted(listed))
