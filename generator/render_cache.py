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
  knowing anything about the graph.

Keys are computed from what the renderer actually passes, not from a hand-written list of
dependencies that could fall behind the templates; a value we cannot digest completely makes
its page uncacheable (always rendered), never wrongly reused. A cached build is therefore
byte-identical to a clean one, which tests check after sequences of edits.

The store is one SQLite file under <source>/.connectory-cache/ (git-ignored): one file
instead of tens of thousands, safe when `build` and `serve` run at once, and a damaged file
is simply started afresh. Entries not used by the last few builds are dropped.
"""

from __future__ import annotations

import hashlib
import sqlite3
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping

from jinja2 import Environment, TemplateNotFound, meta

from .fingerprint import Fingerprinter, Unfingerprintable

CACHE_DIR = ".connectory-cache"
DB_NAME = "pages.sqlite"
FLUSH_EVERY = 256  # new entries written per transaction
KEEP_RUNS = 4  # entries unused for this many builds are dropped (serve and build alternate)
LIBRARIES = ("jinja2", "markupsafe", "markdown", "nh3")
_MISSING = b"\x00missing"


@lru_cache(maxsize=1)
def code_digest() -> bytes:
    """The generator's own sources and the output-shaping libraries' versions."""
    package = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".json") and "__pycache__" not in path.parts:
            h.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for name in LIBRARIES:
        try:
            h.update(f"{name}=={version(name)}\0".encode())
        except PackageNotFoundError:
            h.update(f"{name} missing\0".encode())
    return h.digest()


@dataclass(frozen=True)
class Plan:
    """What a template can depend on: its closure's sources (digested) and the names it reads."""

    digest: bytes
    names: tuple[str, ...]


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
        ast = env.parse(source, current)
        names |= meta.find_undeclared_variables(ast)
        for ref in meta.find_referenced_templates(ast):
            pending.extend(env.list_templates() if ref is None else [ref])
    h = hashlib.sha256()
    for template in sorted(seen):
        h.update(template.encode() + b"\0" + (_MISSING if seen[template] is None else seen[template].encode()) + b"\0")
    return Plan(h.digest(), tuple(sorted(names)))


@dataclass
class CacheStats:
    """What one build did: pages reused, rendered, and rendered because they could not be keyed."""

    reused: int = 0
    rendered: list[str] = field(default_factory=list)  # "template page_path" of each page rendered
    unkeyed: int = 0


class PageCache:
    """Rendered pages by key, for one build; use as a context manager around the build."""

    def __init__(self, folder: Path, *, read: bool = True) -> None:
        """read=False renders everything (--clean) but still stores the results for the next build."""
        self.folder = folder
        self.read = read
        self.stats = CacheStats()
        self._prints = Fingerprinter()
        self._plans: dict[tuple[int, str], Plan] = {}
        self._new: list[tuple[bytes, bytes, int]] = []
        self._used: list[bytes] = []
        self._db: sqlite3.Connection | None = None
        self._run = 0

    def __enter__(self) -> "PageCache":
        self._db = _open(self.folder / DB_NAME)
        self._run = self._db.execute("SELECT coalesce(max(used), 0) + 1 FROM pages").fetchone()[0]
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if self._db is None:
            return
        try:
            self._flush()  # entries are right whatever happens to the build: keep them
            if kind is None:
                with _transaction(self._db):
                    self._db.executemany("UPDATE pages SET used = ? WHERE key = ?",
                                         ((self._run, key) for key in self._used))
                    self._db.execute("DELETE FROM pages WHERE used <= ?", (self._run - KEEP_RUNS,))
        finally:
            self._db.close()
            self._db = None

    def render(self, env: Environment, template: str, shared: Mapping[str, Any], own: Mapping[str, Any],
               produce: Callable[[], bytes]) -> bytes:
        """The page from the cache when its key is known, else `produce()` (stored under the key)."""
        key = self._key(env, template, shared, own)
        if key is None:
            self.stats.unkeyed += 1
            return produce()
        if self.read and self._db is not None:
            row = self._db.execute("SELECT data FROM pages WHERE key = ?", (key,)).fetchone()
            if row is not None:
                self.stats.reused += 1
                self._used.append(key)
                return zlib.decompress(row[0])
        data = produce()
        self.stats.rendered.append(f"{template} {own.get('page_path', '')}".rstrip())
        self._new.append((key, zlib.compress(data, 1), self._run))
        if len(self._new) >= FLUSH_EVERY:
            self._flush()
        return data

    def _key(self, env: Environment, template: str, shared: Mapping[str, Any],
             own: Mapping[str, Any]) -> bytes | None:
        plan = self._plans.get((id(env), template))
        if plan is None:
            plan = self._plans[(id(env), template)] = template_plan(env, template)
        h = hashlib.sha256(code_digest() + template.encode() + b"\0" + plan.digest)
        try:
            for name in plan.names:
                h.update(name.encode() + b"\0")
                if name in own:
                    h.update(self._prints.digest(own[name]))
                elif name in shared:
                    h.update(self._prints.digest_shared(shared[name]))
                elif name in env.globals:
                    value = env.globals[name]  # functions are code, covered by code_digest()
                    h.update(b"global" if callable(value) else self._prints.digest_shared(value))
                else:
                    h.update(_MISSING)
        except Unfingerprintable:
            return None
        return h.digest()

    def _flush(self) -> None:
        """Store new entries in a short transaction, so a concurrent build waits only briefly."""
        if self._new and self._db is not None:
            with _transaction(self._db):
                self._db.executemany("INSERT OR REPLACE INTO pages (key, data, used) VALUES (?, ?, ?)", self._new)
            self._new = []


@contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _open(path: Path) -> sqlite3.Connection:
    """The store, created when missing; a file SQLite cannot read is replaced by an empty one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for attempt in range(2):
        try:
            db = sqlite3.connect(path, timeout=60, isolation_level=None)  # transactions are explicit
            db.execute("PRAGMA journal_mode=WAL")  # readers never wait for a writer
            db.execute("CREATE TABLE IF NOT EXISTS pages (key BLOB PRIMARY KEY, data BLOB NOT NULL, "
                       "used INTEGER NOT NULL)")
            db.execute("CREATE INDEX IF NOT EXISTS pages_used ON pages (used)")
            return db
        except sqlite3.DatabaseError:
            if attempt:
                raise
            path.unlink(missing_ok=True)  # a cache holds nothing that cannot be rebuilt
    raise AssertionError("unreachable")
