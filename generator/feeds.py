"""The files machines read: sitemap, robots.txt, the Atom feed of newest members, the profile schema."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Iterator

from .schema import schema_text

if TYPE_CHECKING:  # render imports this module; the Context type is only needed for checking
    from .render import Context, Output

FEED_SIZE = 20
EPOCH = "1970-01-01"  # the feed's `updated` when no member gives a joined date: content only, never the clock


def machine_files(ctx: "Context", listed: list[str]) -> Iterator["Output"]:
    """sitemap.xml (every listed page), robots.txt, feed.xml and schema/profile.json.

    The sitemap protocol takes absolute URLs only, so without a host in the base URL there is no
    sitemap (and robots.txt names none) rather than one that crawlers would reject.
    """
    if ctx.links.absolute:
        urls = [ctx.links.full(path.removesuffix("index.html")) for path in listed]
        yield "sitemap.xml", ctx.render("sitemap.xml", urls=urls)
    yield "robots.txt", ctx.render("robots.txt")
    yield "feed.xml", feed(ctx)
    # Byte for byte the file the package validates with, so editors check profiles by the same rules.
    yield "schema/profile.json", schema_text("profile").encode("utf-8")


def feed(ctx: "Context") -> bytes:
    """Atom: the newest members by joined date (ties by handle); drafts never appear."""
    joined = sorted((m for m in ctx.community.members if m.joined and not m.draft),
                    key=lambda m: (m.joined, m.handle), reverse=True)[:FEED_SIZE]
    updated = max((m.joined for m in joined), default=EPOCH)
    entries = [{"member": m, "url": ctx.links.full(f"members/{m.handle}/"), "id": entry_id(ctx, m.handle),
                "updated": _timestamp(m.joined)} for m in joined]
    return ctx.render("feed.xml", entries=entries, updated=_timestamp(updated), feed_id=entry_id(ctx, ""))


def entry_id(ctx: "Context", handle: str) -> str:
    """Atom ids must be absolute: the page's URL when the base is absolute, else a name-based UUID."""
    path = f"members/{handle}/" if handle else ""
    if ctx.links.absolute:
        return ctx.links.full(path)
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'connectory:' + ctx.community.config.title + ':' + path)}"


def _timestamp(day: str) -> str:
    return f"{day}T00:00:00Z"
