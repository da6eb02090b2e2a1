"""The incremental build: a rendered page is reused when everything its template can see is unchanged.

Why this design. A page's bytes are a function of (the generator's code, the template and
every template it extends, includes or imports, the values that template set can read). So
the cache key is a digest of exactly that:

- the code: every source file of the generator package and the versions of the libraries
  that shape output (Jinja2, MarkupSafe, Markdown, nh3), so a new release or a local edit of
  the generator never reuses an old page;
- the templates: the sources of the page's template closure, found by parsing them
  (`jinja2.meta`); a dynamic include makes the closure the whole theme;
- the values: only the names that closure reads (`find_undeclared_variables`), each digested
  in full (fingerprint.py). A page whose templates never mention `community` does not
  depend on every member; a profile page that shows people two introductions away gets them
  in its values, so a connection confirmed elsewhere changes its key without this module
  knowing anything about the graph;
- the community-wide collections every page gets (`community.members`, `community.by_handle`,
  `avatars`, the topic slugs in `links`) count only by the entries the page read when it was
  rendered, checked again before reuse (cache_tables.py): otherwise one edited bio, one new
  topic would re-render every page.

Keys are computed from what the renderer actually passes, not from a hand-written list of
dependencies that could fall behind the templates; a value we cannot digest completely makes
its page uncacheable (always rendered), never wrongly reused. A cached build is therefore
byte-identical to a clean one, which tests check after sequences of edits.

The price: a page's values are still computed on every build (a member's suggestions, the
Markdown of a bio); only the template rendering is saved. Skipping that work too would need a
key known before computing them, i.e. a claim such as "a profile depends on members at most
two introductions away" that nothing checks when the graph code changes; we chose the key
that cannot go stale. (Pickle would digest values faster, but its bytes depend on which equal
strings happen to be one object, which can vary from run to run.)

The store is a folder of compressed entries under <source>/.connectory-cache/pages/
(git-ignored), named by key, so `build` and `serve` (and forked workers) share it safely.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import multiprocessing
import os
import tempfile
import time
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

from jinja2 import Environment, TemplateNotFound, meta

from .cache_tables import WHOLE, Read, Reads, collection_fields, is_collection, read_again, resolve, wrap
from .fingerprint import Fingerprinter, Unfingerprintable
from .uptodate import code_digest

CACHE_DIR = ".connectory-cache"
KEEP_DAYS = 14.0  # `connectory build` drops entries no build has used for this long
_MISSING = b"\x00missing"
_ABSENT = object()


@dataclass(frozen=True)
class Plan:
    """What a template can depend on: its closure's sources (digested) and the names it reads."""

    digest: bytes
    names: tuple[str, ...]


_SYNTAX = ("block_start_string", "block_end_string", "variable_start_string", "variable_end_string",
           "comment_start_string", "comment_end_string", "line_statement_prefix", "line_comment_prefix",
           "trim_blocks", "lstrip_blocks", "newline_sequence", "keep_trailing_newline")


def _syntax(env: Environment) -> tuple[Any, ...]:
    """What analysing a template depends on in an environment: delimiters, extensions, and the
    names of its filters and tests (Jinja refuses to compile a template using an unknown one)."""
    return (tuple(getattr(env, a) for a in _SYNTAX), tuple(sorted(env.extensions)),
            tuple(sorted(env.filters)), tuple(sorted(env.tests)))


def _placeholder(*_: object, **__: object) -> None:
    """Stands for a filter or test while analysing: only its name matters there."""


@lru_cache(maxsize=1024)
def _analyse(syntax: tuple[Any, ...], name: str, source: str) -> tuple[frozenset[str], tuple[str | None, ...]]:
    """The context names a template's source reads and the templates it references (None: dynamic).

    Parsing and walking a template costs milliseconds and every page kind shares base.html and
    the partials, so each source is analysed once per process (a preview builds many times);
    a changed source is a new key. The environment is rebuilt from the key rather than passed,
    so the memo keeps no theme alive.
    """
    settings, extensions, filters, tests = syntax
    env = Environment(**dict(zip(_SYNTAX, settings)), extensions=list(extensions))
    env.filters.update(dict.fromkeys(filters, _placeholder))
    env.tests.update(dict.fromkeys(tests, _placeholder))
    ast = env.parse(source, name)
    return frozenset(meta.find_undeclared_variables(ast)), tuple(meta.find_referenced_templates(ast))


def template_plan(env: Environment, name: str) -> Plan:
    """Parse `name` and every template it reaches; a dynamic reference pulls in the whole theme."""
    seen: dict[str, str | None] = {}
    names: set[str] = set()
    pending = [name]
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        try:
            source = env.loader.get_source(env, current)[0] if env.loader else None
        except TemplateNotFound:
            source = None  # `include ... ignore missing`: adding the file later must change the key
        seen[current] = source
        if source is None:
            continue
        reads, refs = _analyse(_syntax(env), current, source)
        names |= reads
        for ref in refs:
            pending.extend(env.list_templates() if ref is None else [ref])
    h = hashlib.sha256()
    for template in sorted(seen):
        h.update(template.encode() + b"\0" + (_MISSING if seen[template] is None else seen[template].encode()) + b"\0")
    return Plan(h.digest(), tuple(sorted(names)))


class PageCache:
    """Rendered pages by key: one compressed file per key under <source>/.connectory-cache/pages/.

    Files rather than one database because member pages are rendered in forked worker
    processes (parallel.py): each process reads and writes entries on its own, a write is a
    rename (atomic, so a reader never sees half an entry), and nothing is carried across a
    fork but the folder's name. The counts live in shared memory for the same reason.
    """

    def __init__(self, folder: Path, *, read: bool = True) -> None:
        """read=False renders everything (--clean) but still stores the results for the next build."""
        self.folder = folder / "pages"
        self.read = read
        self.rendered: list[str] = []  # "template page_path" rendered by this process (tests use one)
        self._counts = multiprocessing.Array("q", 3)  # reused, rendered, unkeyed: every process adds
        self._prints = Fingerprinter()
        self._plans: dict[tuple[int, str], Plan] = {}
        self._skeletons: dict[int, tuple[Any, bytes]] = {}
        self._reads: dict[Read, tuple[Any, bytes | None]] = {}

    @property
    def reused(self) -> int:
        return int(self._counts[0])

    @property
    def rerendered(self) -> int:
        """Pages rendered because no entry matched, plus those that could not be keyed."""
        return int(self._counts[1] + self._counts[2])

    def _count(self, which: int) -> None:
        with self._counts.get_lock():
            self._counts[which] += 1

    def render(self, env: Environment, template: str, shared: Mapping[str, Any], own: Mapping[str, Any]) -> bytes:
        """The page as `template` renders it with shared and own values: from the cache when an entry
        matches, else rendered (with its table reads recorded) and stored."""
        plan = self._plans.get((id(env), template))
        if plan is None:
            plan = self._plans[(id(env), template)] = template_plan(env, template)

        def plain() -> bytes:
            return env.get_template(template).render({**shared, **own}).encode("utf-8")

        key = self._key(template, plan, env, shared, own)
        if key is None:
            self._count(2)
            return plain()
        entry = self.folder / key.hex()[:2] / key.hex()
        if self.read:
            found = _load(entry)
            if found is not None and self._still_read_the_same(found[0], shared):
                _touch(entry)  # recently used: prune() keeps it
                self._count(0)
                return found[1]
        reads = Reads()
        visible = {name: wrap(name, value, reads) if name in plan.names else value for name, value in shared.items()}
        try:
            data = env.get_template(template).render({**visible, **own}).encode("utf-8")
            recorded = self._recorded(reads, shared)
        except Exception:  # a table used in a way a recording view cannot serve: plain, and not kept
            self._count(2)
            return plain()
        self._count(1)
        self.rendered.append(f"{template} {own.get('page_path', '')}".rstrip())
        _store(entry, recorded, data)
        return data

    def _key(self, template: str, plan: Plan, env: Environment, shared: Mapping[str, Any],
             own: Mapping[str, Any]) -> bytes | None:
        """Code, templates and every value the templates can read, tables aside (see cache_tables.py)."""
        h = hashlib.sha256(code_digest() + template.encode() + b"\0" + plan.digest)
        try:
            for name in plan.names:
                h.update(name.encode() + b"\0")
                if name in own:
                    h.update(self._prints.digest(own[name]))
                elif name in shared:
                    h.update(self._skeleton(shared[name]))
                elif name in env.globals:
                    value = env.globals[name]  # functions are code, covered by code_digest()
                    h.update(b"global" if callable(value) else self._prints.digest_shared(value))
                else:
                    h.update(_MISSING)
        except Unfingerprintable:
            return None
        return h.digest()

    def _skeleton(self, value: Any) -> bytes:
        """A shared value's digest with its collections left out (what a page reads of them is
        checked read by read, see cache_tables.py)."""
        if is_collection(value):
            return b"collection"
        fields = collection_fields(value)
        if not fields:
            return self._prints.digest_shared(value)
        remembered = self._skeletons.get(id(value))
        if remembered is None or remembered[0] is not value:
            h = hashlib.sha256(type(value).__qualname__.encode())
            for f in dataclasses.fields(value):
                h.update(f.name.encode() + b"=" + (b"collection" if f.name in fields
                                                   else self._prints.digest(getattr(value, f.name))))
            remembered = self._skeletons[id(value)] = (value, h.digest())
        return remembered[1]

    def _read_digest(self, shared: Mapping[str, Any], read: Read) -> bytes | None:
        """The digest of what a recorded read gives in this build; None when it cannot be read.

        Remembered for the build, with the shared value it came from: every page passes the same
        shared objects, and a thousand pages read the same few hubs."""
        name = read[0].partition(".")[0]
        value = shared.get(name)
        remembered = self._reads.get(read)
        if remembered is not None and remembered[0] is value:
            return remembered[1]
        label, kind, key = read
        target = resolve(shared, label)
        if target is None:
            digest = None
        elif kind == WHOLE:
            digest = self._prints.digest_shared(target)
        else:
            now = read_again(target, kind, key, _ABSENT)
            digest = _MISSING if now is _ABSENT else self._prints.digest(now)
        self._reads[read] = (value, digest)
        return digest

    def _recorded(self, reads: Reads, shared: Mapping[str, Any]) -> list[list[Any]]:
        """Every read, in a fixed order, with the digest of what it gave."""
        recorded = []
        for read in sorted(reads.entries, key=lambda r: (r[0], r[1], str(r[2]))):
            digest = self._read_digest(shared, read)
            if digest is None:
                raise Unfingerprintable(read[0])
            recorded.append([*read, digest.hex()])
        return recorded

    def _still_read_the_same(self, recorded: list[list[Any]], shared: Mapping[str, Any]) -> bool:
        try:
            for label, kind, key, digest in recorded:
                now = self._read_digest(shared, (label, kind, key))  # key: str or int, from JSON
                if now is None or now.hex() != digest:
                    return False
            return True
        except (Unfingerprintable, TypeError, ValueError):  # an entry from another version of this file
            return False

    def prune(self, days: float = KEEP_DAYS) -> int:
        """Delete entries no build has used for `days`, at most once a day; returns how many went."""
        marker = self.folder / ".pruned"
        try:
            if marker.stat().st_mtime > time.time() - 86400:
                return 0
        except OSError:
            pass
        _store_marker(marker)
        cutoff = time.time() - days * 86400
        gone = 0
        for shard in self.folder.glob("??"):
            for entry in shard.iterdir():
                try:
                    if entry.stat().st_mtime < cutoff:
                        entry.unlink()
                        gone += 1
                except OSError:
                    pass  # another process removed or replaced it
        return gone


def _store(entry: Path, recorded: list[list[Any]], data: bytes) -> None:
    """Write an entry (a JSON line of table reads, then the page, compressed) under a temporary
    name, then rename: readers see all of it or nothing."""
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=entry.parent, prefix=".", suffix=".tmp", delete=False) as tmp:
            tmp.write(json.dumps(recorded, separators=(",", ":")).encode() + b"\n" + zlib.compress(data, 1))
        os.replace(tmp.name, entry)
    except OSError:
        pass  # a read-only or full disk costs speed, never the build


def _load(entry: Path) -> tuple[list[list[Any]], bytes] | None:
    """An entry's recorded reads and page, or None when missing or unreadable (then it is rendered again)."""
    try:
        raw = entry.read_bytes()
        head, _, body = raw.partition(b"\n")
        return json.loads(head), zlib.decompress(body)
    except (OSError, ValueError, zlib.error):
        return None


def _store_marker(marker: Path) -> None:
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
    except OSError:
        pass


def _touch(entry: Path) -> None:
    try:
        os.utime(entry)
    except OSError:
        pass
