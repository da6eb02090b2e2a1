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

The store is a folder of compressed entries under <source>/.connectory-cache/pages/
(git-ignored), named by key, so `build` and `serve` (and forked workers) share it safely.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import tempfile
import time
import zlib
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Callable, Mapping

from jinja2 import Environment, TemplateNotFound, meta

from .fingerprint import Fingerprinter, Unfingerprintable

CACHE_DIR = ".connectory-cache"
KEEP_DAYS = 14.0  # `connectory build` drops entries no build has used for this long
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

    def render(self, env: Environment, template: str, shared: Mapping[str, Any], own: Mapping[str, Any],
               produce: Callable[[], bytes]) -> bytes:
        """The page from the cache when its key is known, else `produce()` (stored under the key)."""
        key = self._key(env, template, shared, own)
        if key is None:
            self._count(2)
            return produce()
        entry = self.folder / key.hex()[:2] / key.hex()
        if self.read:
            try:
                data = zlib.decompress(entry.read_bytes())
                os.utime(entry)  # recently used: prune() keeps it
                self._count(0)
                return data
            except (OSError, zlib.error):
                pass  # missing (the usual miss) or unreadable: render it again
        data = produce()
        self._count(1)
        self.rendered.append(f"{template} {own.get('page_path', '')}".rstrip())
        _store(entry, zlib.compress(data, 1))
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

    def prune(self, days: float = KEEP_DAYS) -> int:
        """Delete entries no build has used for `days`; returns how many went."""
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


def _store(entry: Path, data: bytes) -> None:
    """Write an entry under a temporary name, then rename: readers see all of it or nothing."""
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=entry.parent, prefix=".", suffix=".tmp", delete=False) as tmp:
            tmp.write(data)
        os.replace(tmp.name, entry)
    except OSError:
        pass  # a read-only or full disk costs speed, never the build
