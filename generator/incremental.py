"""Rebuild only what an edit changed: the pages that can show what changed, every other file
linked unchanged from the previous site.

Why: at 10,000 members a full build takes tens of seconds, and most pull requests and most
saves in `serve` change one profile. After each successful build a snapshot is kept in the
cache folder (beside uptodate.py's stamp): what reading each profile gave, with its file record;
the published members; the topics' URL slugs; the network statistics; and the identity of the
site folder it describes. The next build reads only the profiles whose records changed, checks
the whole community again (the rules across files run on every build), and compares members.

What a page can show of another member decides what is rendered again (`plan`):

- Members' pages show their own profile, and of others only what is at most two steps away in
  the graph of connections and claims (either way): connections, introducers and suggestions,
  the pairs they could introduce, the circle. So an edit to member X renders the pages of
  everyone within two steps of X, before or after the edit; with the topic pages of X's topics
  (before and after) and X's avatar.
- Fields that only X's own pages show (OWN_FIELDS: the bio, links, contact, pronouns) render only
  X's pages: every other file is kept. What X says about a connection (its context, since when,
  last met), the same people listed with the same strengths, renders the pages of X and of those
  it concerns, and the path page's hop-context files that hold their connections: every other
  file is kept. Fields no other member's page shows (LOCAL_FIELDS: those,
  the location and the joined date) render X's pages and those about everyone, and keep the
  network statistics.
- Otherwise the pages about everyone (the directory, topics list, introductions, network, path
  files, feeds, sitemap) are rendered every time.
- Anything else falls back to a full build: a member added or removed (every page's footer counts
  the members), a topic's slug moved, any change outside content/members/ (site.yaml, pages,
  avatars, themes, the generator, the options), a snapshot of another folder or none at all.

The search index is built again only when a changed member's search record changed; otherwise
the previous one is linked in. tests/test_incremental.py checks that every incremental build
equals a clean build of the same input, byte for byte.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Iterable, Iterator, Mapping

from .models import Community, Member
from .paths import context_shard
from .pictures import legend
from .render import Links, Only, member_paths
from .search_records import member_record

if TYPE_CHECKING:
    from .community import Loaded, Read
    from .render import Context
    from .stats import NetworkStats

# Member fields only the member's own pages (and search record) show.
OWN_FIELDS = frozenset({"bio", "links", "contact", "email", "pronouns", "source"})
# Member fields no other member's page shows: the member's own pages, the search record, and the
# pages about everyone (the directory's card and filters show the location, the feed the joined date).
LOCAL_FIELDS = OWN_FIELDS | {"location", "joined"}
VERSION = 3  # of the snapshot's shape
COPY_PIECE = 1 << 20  # bytes of the last snapshot copied at a time into the next


@dataclass(frozen=True)
class Snapshot:
    """What the last successful build, into one site folder, was made from."""

    rest: str  # uptodate.Scan.rest: the inputs apart from the profiles
    folder: tuple[int, int, int]  # the site folder (device, inode, change time), as uptodate names it
    reads: Mapping[str, tuple[str, "Read"]]  # profile file name -> (its record, what reading it gave)
    members: Mapping[str, Member]  # the published members, by handle
    slugs: Mapping[str, str]  # topic -> URL slug
    stats: "NetworkStats | None"  # the /network/ figures, when that build computed them
    search: bool  # the site has a search index
    files: frozenset[str]  # every file of the site but its search index, by path
    # Where each read's pickle lies in the snapshot file it was loaded from, and that file's
    # identity (inode, size, change time): save() copies the unchanged ones instead of pickling them.
    spans: Mapping[str, tuple[int, int]] = field(default_factory=dict, compare=False)
    origin: tuple[int, int, int] | None = field(default=None, compare=False)


def snapshot_path(cache: Path, rest: str) -> Path:
    """One snapshot per set of inputs-but-profiles (so per option set): `build` and `serve` keep theirs apart."""
    return cache / f"snapshot-{hashlib.sha256(rest.encode()).hexdigest()[:16]}.pickle"


def load(cache: Path, rest: str, folder: Path, *, vouched: bool = False) -> Snapshot | None:
    """The snapshot for these inputs whose site is `folder` as it is now; None when there is none.

    `vouched`: the caller knows `folder` is the site the last build made (serve, whose search
    indexer adds to the folder afterwards): only its device and inode number are compared."""
    from .uptodate import folder_id

    now = folder_id(folder)
    if now is None:
        return None
    gc.disable()  # tens of thousands of objects, none of them cyclic: collecting only costs time
    try:
        with open(snapshot_path(cache, rest), "rb") as f:
            version, head = pickle.load(f)
            if version != VERSION or head["rest"] != rest or head["folder"][:2] != now[:2] \
                    or (not vouched and head["folder"] != now):
                return None
            reads, spans, start = {}, {}, f.tell()
            for _ in range(head["reads"]):
                name, record, read = pickle.load(f)  # each with a fresh memo, as written
                reads[name], spans[name], start = (record, read), (start, f.tell()), f.tell()
            origin = _identity(os.fstat(f.fileno()))
    except Exception:  # missing, unreadable, cut short, from another version of the code: a full build
        return None
    finally:
        gc.enable()
    found = {read[1].handle: read[1] for _, read in reads.values() if read[1] is not None}
    try:
        members = {h: found[h] for h in head["published"]}
    except KeyError:
        return None
    return Snapshot(rest, head["folder"], reads, members, head["slugs"], head["stats"], head["search"], head["files"],
                    spans, origin)


def _identity(stat: os.stat_result) -> tuple[int, int, int]:
    return stat.st_ino, stat.st_size, stat.st_ctime_ns


def save(cache: Path, snap: Snapshot, previous: Snapshot | None = None) -> None:
    """Keep the snapshot (written whole, then renamed); failing only means the next build is a full one.

    One pickle per profile read, each with a memo of its own: one pickle of everything would
    remember every object it wrote (gigabytes at 100,000 members). The published members
    are named by handle, found again among the reads when loaded.

    `previous`, the snapshot this build loaded: a read it holds unchanged (the same object, from
    a file with the same record) is copied as the bytes it was loaded from, when the file they
    came from is still the one it was. After one edit at 10,000 members that is one pickle
    instead of 10,000 (0.45 s)."""
    path = snapshot_path(cache, snap.rest)
    part = path.with_suffix(f".{os.getpid()}.part")
    head = {"rest": snap.rest, "folder": snap.folder, "slugs": dict(snap.slugs), "stats": snap.stats,
            "search": snap.search, "files": snap.files, "published": tuple(snap.members), "reads": len(snap.reads)}
    try:
        cache.mkdir(parents=True, exist_ok=True)
        with open(part, "wb") as f, _loaded_from(path, previous) as old:
            pickle.dump((VERSION, head), f, protocol=pickle.HIGHEST_PROTOCOL)
            pending: tuple[int, int] | None = None  # bytes of the old file to copy: neighbours go in one piece
            for name, (record, read) in snap.reads.items():
                span = _loaded_span(previous, name, record, read) if old is not None else None
                if span is not None and pending is not None and span[0] == pending[1]:
                    pending = (pending[0], span[1])
                    continue
                if pending is not None:
                    _copy(old, f, *pending)
                pending = span
                if span is None:
                    pickle.dump((name, record, read), f, protocol=pickle.HIGHEST_PROTOCOL)
            if pending is not None:
                _copy(old, f, *pending)
        os.replace(part, path)
    except Exception:
        try:
            part.unlink()
        except OSError:
            pass


def _loaded_span(previous: Snapshot | None, name: str, record: str, read: "Read") -> tuple[int, int] | None:
    """Where `previous` loaded this very read from (the same object, with the same record), if it did."""
    was = previous.reads.get(name) if previous is not None else None
    if was is None or was[1] is not read or was[0] != record:
        return None
    return previous.spans.get(name)  # type: ignore[union-attr]


def _copy(old: BinaryIO | None, f: BinaryIO, start: int, end: int) -> None:
    """Bytes start to end of the old snapshot into the new one, a piece at a time (never the whole file)."""
    assert old is not None
    old.seek(start)
    for left in range(end - start, 0, -COPY_PIECE):
        f.write(old.read(min(left, COPY_PIECE)))


@contextmanager
def _loaded_from(path: Path, previous: Snapshot | None) -> Iterator[BinaryIO | None]:
    """The snapshot file `previous` was loaded from, open; None when it has changed since (another
    build into another folder with the same options may have saved it), or there is none."""
    if previous is None or previous.origin is None:
        yield None
        return
    try:
        old = open(path, "rb")
    except OSError:
        yield None
        return
    with old:
        yield old if _identity(os.fstat(old.fileno())) == previous.origin else None


def taken(rest: str, folder: tuple[int, int, int], loaded: "Loaded", ctx: "Context", search: bool,
          files: Iterable[str]) -> Snapshot:
    """The snapshot of a build just made (stats only when it computed them)."""
    stats = ctx.network.__dict__.get("stats")  # a cached_property: present once computed
    return Snapshot(rest, folder, dict(loaded.reads), dict(ctx.community.by_handle), dict(ctx.links.slugs),
                    stats, search, frozenset(files))


@dataclass(frozen=True)
class Plan:
    """What an incremental build renders, and what it keeps."""

    only: Only
    changed: tuple[str, ...]  # handles whose profile changed
    reindex: bool  # some changed member's search record changed
    stats: "NetworkStats | None"  # the previous figures, still true; None to compute them


def plan(snap: Snapshot, ctx: "Context", search: bool) -> Plan | None:
    """What to render so that the site equals a full build; None when only a full build will do."""
    now = ctx.community.by_handle
    if snap.search != search or now.keys() != snap.members.keys():
        return None  # every page counts the members; the search option changes the files
    slugs = ctx.links.slugs
    if any(snap.slugs[t] != slugs[t] for t in snap.slugs.keys() & slugs.keys()):
        return None  # links to unchanged topics would change everywhere
    changed = [h for h, m in now.items() if m != snap.members[h]]
    if any(_main(snap.members[h]) != _main(now[h]) for h in changed) and _colours(ctx, snap.members) != _colours(ctx):
        return None  # every member page's circle colours people by the legend's ranking of main fields
    differences = set().union(*(_differences(snap.members[h], now[h]) for h in changed))
    local = differences <= LOCAL_FIELDS
    if differences <= OWN_FIELDS:  # only their own pages: every other file stays as it is
        mine = {path for h in changed for path in member_paths(now[h])}
        return Plan(Only(frozenset(changed), frozenset(), frozenset(), kept=snap.files - mine), tuple(changed),
                    search and _records_differ(ctx, snap.members, changed), snap.stats)
    if local:
        members, topics = set(changed), set()
    elif differences == {"claims"} and all(_ties(snap.members[h]) == _ties(now[h]) for h in changed):
        # only what a connection says about itself (context, since, last met): shown on the pages of
        # its two members and in the path page's hop-context files of theirs, never in anyone's
        # suggestions or circle, nor on any page about everyone
        members = set(changed)
        for h in changed:
            members.update(new.handle for old, new in zip(snap.members[h].claims, now[h].claims)
                           if old != new and new.handle in now)
        shards = frozenset(n for h in members if (n := context_shard(ctx.network.index, h)) is not None)
        mine = {path for h in members for path in member_paths(now[h])}
        mine.update(f"graph/contexts-{n}.json" for n in shards)
        return Plan(Only(frozenset(members), frozenset(), frozenset(), kept=snap.files - mine, contexts=shards),
                    tuple(changed), search and _records_differ(ctx, snap.members, changed), snap.stats)
    else:
        members = _near(ctx, snap.members, changed)
        topics = {t for h in changed for t in (*snap.members[h].topics, *now[h].topics)}
    return Plan(Only(frozenset(members), frozenset(topics), frozenset(() if local else changed)),
                tuple(changed), search and _records_differ(ctx, snap.members, changed),
                snap.stats if local else None)


def unchanged_pages(community: Community, p: Plan) -> frozenset[int]:
    """The search index's pages (members, in the records' order) whose profiles this plan did not
    find changed: their records, and so their fragment files, are as they were."""
    changed = set(p.changed)
    return frozenset(n for n, m in enumerate(community.members) if m.handle not in changed)


def _differences(a: Member, b: Member) -> set[str]:
    return {f.name for f in fields(Member) if getattr(a, f.name) != getattr(b, f.name)}


def _ties(m: Member) -> list[tuple[str, str]]:
    """Whom a member lists, in order, and how well they know them: what ranking and pictures read."""
    return [(c.handle, c.strength) for c in m.claims]


def _main(m: Member) -> str:
    return m.fields[0] if m.fields else ""


def _colours(ctx: "Context", before: Mapping[str, Member] | None = None) -> dict[str, str]:
    """Each main field's colour in the circles (pictures.legend), now or with the members `before`."""
    entries = ctx.network.legend if before is None else \
        legend(Community(ctx.community.config, tuple(before[h] for h in sorted(before))))
    return {e.field: e.colour for e in entries if e.field}


def _near(ctx: "Context", before: Mapping[str, Member], changed: Iterable[str]) -> set[str]:
    """Everyone within two steps of a changed member, through connections or claims either way,
    as the community is now or was before the change."""
    ix = ctx.network.index
    now = ctx.community.by_handle
    changed = set(changed)

    def around(h: str) -> set[str]:
        found = {ix.handles[i] for i in (*ix.adj[ix.ids[h]], *ix.claimed[ix.ids[h]])}
        found.update(c.handle for c in now[h].claims if c.handle in now)  # claims of someone unknown count for nobody
        if h in changed:  # the connections and claims it had
            found.update(c.handle for c in before[h].claims if c.handle in now)
            found.update(x for x in changed if any(c.handle == h for c in before[x].claims))
        return found

    first = set(changed)
    for h in changed:
        first |= around(h)
    near = set(first)
    for h in first:
        near |= around(h)
    return near


def _records_differ(ctx: "Context", before: Mapping[str, Member], changed: Iterable[str]) -> bool:
    """Whether the search index would change: a changed member's record is not what it was."""
    language = ctx.community.config.language.lower()
    links = Links(ctx.site.base_url)
    for h in changed:
        if before[h].avatar != ctx.community.by_handle[h].avatar:
            return True  # the record's image: the old one is not at hand to compare
        avatar = links.page(ctx.avatars[h].path)
        if member_record(before[h], language, avatar) != member_record(ctx.community.by_handle[h], language, avatar):
            return True
    return False


def reuse_stats(ctx: "Context", stats: "NetworkStats") -> None:
    """Give the network view the previous build's figures (a cached_property: as if computed)."""
    ctx.network.__dict__["stats"] = stats


def describe(p: Plan) -> dict[str, Any]:
    """The plan in numbers, for timings and tests."""
    return {"changed": len(p.changed), "members": len(p.only.members), "topics": len(p.only.topics),
            "reindex": p.reindex}
