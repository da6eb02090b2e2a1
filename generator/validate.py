"""The rules beyond the schema: per file (handle, dates, avatar, lists) and across files
(unknown, self and one-sided connections, duplicate handles and names)."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from .content import Document, dotted
from .errors import Problem
from .images import MAX_AVATAR_BYTES, MAX_AVATAR_PIXELS, MAX_AVATAR_SIDE, sniff
from .lookalike import HIDDEN, handle_key, name_key
from .models import WINDOWS_DEVICE_NAMES, Compact, normalise_topic

HANDLE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
MAX_HANDLE = 39
RESERVED = WINDOWS_DEVICE_NAMES
# Python-Markdown is quadratic on many inputs (runs of `[`, of lines it consumes one at a time,
# of unclosed tags) and recurses once per nested list: these caps keep the slowest bio a
# member can write to well under a second to render, and its nesting far from the recursion
# limit. SECURITY.md has the figures.
MAX_BIO_CHARS = 5_000
MAX_BIO_BRACKETS = 100  # every link or image needs one `[`; 100 is far more than a bio uses
MAX_BIO_NESTING = 20  # lists and quotes inside each other
MAX_CONNECTIONS = 300  # the schema's maxItems; longer lists are not resolved one by one
# Characters that reorder or hide text: a name or topic with them can pose as someone else's.
INVISIBLE = HIDDEN
# C0 and C1 controls (YAML lets them in through "\e"-style escapes); tab and newline are text.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _problem(doc: Document, path: tuple, code: str, message: str, hint: str,
             severity: str = "error") -> Problem:
    line, col = doc.where(path)
    return Problem(doc.rel, line, col, dotted(path), code, message, hint, severity)  # type: ignore[arg-type]


def handle_problem(stem: str) -> str | None:
    """Why a file name cannot be a handle, or None when it can."""
    if not HANDLE.match(stem):
        return "use lowercase letters a-z, digits and single hyphens (no spaces, dots or capitals)"
    if len(stem) > MAX_HANDLE:
        return f"a handle has at most {MAX_HANDLE} characters"
    if stem in RESERVED:
        return f"`{stem}` is a reserved file name on Windows; choose another handle"
    return None


_DATE = re.compile(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$")


def _real_date(text: str) -> bool:
    """Whether a YYYY, YYYY-MM or YYYY-MM-DD string names a day that exists (no 2019-02-30)."""
    parts = [int(p) for p in text.split("-")]
    try:
        dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


def _when(value: Any) -> str | None:
    """A since/last_met value as text when the schema accepts its form, else None."""
    text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    return text if isinstance(text, str) and _DATE.match(text) else None


def _strings(value: Any, path: tuple = ()) -> Iterable[tuple[tuple, str]]:
    """Every text value in the front matter with its path (keys included, as their own path)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, path + (i,))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield path + (key,), key
            yield from _strings(item, path + (key,))


def file_problems(doc: Document, stem: str, content_dir: Path, aliases: dict[str, str]) -> list[Problem]:
    """Rules of one profile that a JSON Schema cannot say.

    They run beside the schema, not after it, so one run shows every problem: each rule
    looks only at values of the shape it expects and leaves the rest to the schema.
    """
    data: dict[str, Any] = doc.data or {}
    out: list[Problem] = []
    why = handle_problem(stem)
    if why:
        out.append(Problem(doc.rel, 1, 1, "handle", "bad-file-name",
                           f"the file name `{stem}.md` is not a valid handle", f"rename the file: {why}"))
    handle = data.get("handle")
    if isinstance(handle, str) and handle != stem and HANDLE.match(handle):
        out.append(_problem(doc, ("handle",), "handle-mismatch",
                            f"handle `{handle}` differs from the file name `{stem}.md`",
                            f"rename the file to `{handle}.md` or remove the handle field"))
    out += _character_problems(doc)
    joined = data.get("joined")
    if isinstance(joined, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", joined) and not _real_date(joined):
        out.append(_problem(doc, ("joined",), "bad-date", f"joined: {joined} is not a real date",
                            "check the month and the day"))
    out += _topic_problems(doc, aliases)
    out += _connection_problems(doc, stem)
    out += _bio_problems(doc)
    if isinstance(data.get("avatar"), str) and data["avatar"]:
        out += _avatar_problems(doc, data["avatar"], content_dir)
    return out


def _character_problems(doc: Document) -> list[Problem]:
    """Control and invisible characters, on the value holding each; one search when there are none."""
    everything = doc.text
    if not CONTROL.search(everything) and not INVISIBLE.search(everything):  # neither class holds a newline
        return []
    out = []
    for path, text in _strings(doc.data):
        if control := CONTROL.search(text):
            out.append(_problem(doc, path, "control-character",
                                f"contains a control character (U+{ord(control.group()):04X})",
                                "delete it: it can garble the page and the terminal"))
    hidden = dict.fromkeys(path for path, text in _strings(doc.data) if INVISIBLE.search(text))
    for path in hidden:
        out.append(_problem(doc, path, "invisible-characters",
                            "contains invisible or text-direction control characters",
                            "remove them: they can make one name look like another"))
    return out


def _topic_problems(doc: Document, aliases: dict[str, str]) -> list[Problem]:
    """The same topic twice in one list, once normalised and mapped through the aliases."""
    out = []
    for key in ("fields", "interests", "open_to", "offers", "asks"):
        items = (doc.data or {}).get(key)
        seen: dict[str, int] = {}
        for i, item in enumerate(items if isinstance(items, list) else []):
            text = item.get("topic") if isinstance(item, dict) else item
            if not isinstance(text, str) or not text.strip():
                continue
            topic = normalise_topic(text, aliases)
            if topic in seen:
                out.append(_problem(doc, (key, i), "duplicate-topic",
                                    f"{key} lists `{topic}` twice (also item {seen[topic] + 1})",
                                    "keep one of them", "warning"))
            seen.setdefault(topic, i)
    return out


def _connection_problems(doc: Document, stem: str) -> list[Problem]:
    """Oneself, the same member twice, and dates that do not exist or run backwards."""
    out = []
    seen: dict[str, int] = {}
    for i, other in _enumerate_connections(doc):
        if other == stem:
            out.append(_problem(doc, ("connections", i), "self-connection", "you list yourself as a connection",
                                "remove this entry"))
        if other in seen:
            out.append(_problem(doc, ("connections", i), "duplicate-connection",
                                f"`{other}` is listed twice (also item {seen[other] + 1})",
                                "keep one entry, with the context"))
        seen.setdefault(other, i)
    items = (doc.data or {}).get("connections")
    for i, item in enumerate(items if isinstance(items, list) else []):
        if not isinstance(item, dict):
            continue
        dates = {key: _when(item.get(key)) for key in ("since", "last_met")}
        for key, text in dates.items():
            if text and not _real_date(text):
                out.append(_problem(doc, ("connections", i, key), "bad-date",
                                    f"{key}: {text} is not a real date", "check the month and the day"))
        since, last = dates["since"], dates["last_met"]
        if since and last and _real_date(since) and _real_date(last):
            width = min(len(since), len(last))  # compare at the coarser of the two precisions
            if last[:width] < since[:width]:
                out.append(_problem(doc, ("connections", i, "last_met"), "dates-reversed",
                                    f"last_met ({last}) is before since ({since})",
                                    "since is when you met first; last_met the most recent time"))
    return out


def _bio_problems(doc: Document) -> list[Problem]:
    """The bio's length, brackets and nesting: the inputs that make Markdown slow or overflow."""
    body = doc.body
    if len(body) > MAX_BIO_CHARS:
        return [Problem(doc.rel, doc.body_line, 1, "bio", "bio-too-long",
                        f"the bio is {len(body):,} characters long; at most {MAX_BIO_CHARS:,} are allowed",
                        "shorten it and link to a longer page on your website")]
    out = []
    if body.count("[") > MAX_BIO_BRACKETS:
        at = -1
        for _ in range(MAX_BIO_BRACKETS + 1):
            at = body.index("[", at + 1)
        out.append(Problem(doc.rel, doc.body_line + body.count("\n", 0, at), 1, "bio", "bio-too-complex",
                           f"the bio has {body.count('['):,} `[` characters; at most {MAX_BIO_BRACKETS} are allowed",
                           "every link needs one `[`: keep the links that matter, and delete stray brackets"))
    line, depth = _deepest_line(body)
    if depth > MAX_BIO_NESTING:
        out.append(Problem(doc.rel, doc.body_line + line, 1, "bio", "bio-too-deep",
                           f"lists or quotes are nested {depth} levels deep here; at most {MAX_BIO_NESTING}",
                           "flatten the list: a bio rarely needs more than three levels"))
    return out


_MARKER = re.compile(r"(?:[-+*]|[0-9]{1,9}[.)])[ \t]+|>[ \t]?")
_FENCE = re.compile(r"^[ \t]*(```|~~~)")


def _deepest_line(body: str) -> tuple[int, int]:
    """(0-based line, depth) of the first line nested deeper than the cap, else of the deepest.

    A line's depth is its list and quote markers (`- `, `1. `, `> `) plus its indentation in
    steps of two spaces when it starts with one; lines inside fenced code do not count.
    """
    deepest, in_fence = (0, 0), False
    for number, line in enumerate(body.split("\n")):
        if _FENCE.match(line):
            in_fence = not in_fence
        if in_fence:
            continue
        text = line.expandtabs(4)
        indent = len(text) - len(text.lstrip(" "))
        at, markers = indent, 0
        while match := _MARKER.match(text, at):
            at, markers = match.end(), markers + 1
        depth = indent // 2 + markers if markers else 0
        if depth > deepest[1]:
            deepest = (number, depth)
            if depth > MAX_BIO_NESTING:
                break
    return deepest


def _avatar_problems(doc: Document, avatar: str, content_dir: Path) -> list[Problem]:
    def bad(code: str, message: str, hint: str) -> list[Problem]:
        return [_problem(doc, ("avatar",), code, message, hint)]

    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", avatar):  # https://..., data:..., C:\\...
        return bad("avatar-outside", f"avatar `{avatar[:80]}` is not a file under content/",
                   "download the image into content/avatars/ and write `avatar: avatars/<file>`")
    root = content_dir.resolve()
    path = (content_dir / avatar).resolve()
    if avatar.startswith(("/", "\\")) or "\\" in avatar or not path.is_relative_to(root):
        return bad("avatar-outside", f"avatar `{avatar}` is outside content/",
                   "put the image in content/avatars/ and write `avatar: avatars/<file>`")
    if not path.is_file():
        return bad("avatar-missing", f"avatar `{avatar}` does not exist",
                   "add the image under content/ or remove the avatar field")
    size = path.stat().st_size
    if size > MAX_AVATAR_BYTES:
        return bad("avatar-too-large", f"the avatar is {size // 1024} KiB; at most {MAX_AVATAR_BYTES // 1024} KiB",
                   "resize it to about 400 by 400 pixels")
    with path.open("rb") as fh:  # whole file (capped above): a JPEG's EXIF can push its header far in
        info = sniff(fh.read())
    if info is None:
        return bad("avatar-format", f"avatar `{avatar}` is not a PNG, JPEG or WebP image (judged by its bytes)",
                   "save it as PNG, JPEG or WebP; SVG is not accepted")
    _, width, height = info
    if not (0 < width <= MAX_AVATAR_SIDE and 0 < height <= MAX_AVATAR_SIDE and width * height <= MAX_AVATAR_PIXELS):
        return bad("avatar-dimensions", f"the avatar is {width}×{height} pixels; at most {MAX_AVATAR_SIDE} a side",
                   "resize it to about 400 by 400 pixels")
    return []


@dataclass(frozen=True, slots=True)
class Listing(Compact):
    """What the rules between profiles read of one profile, kept instead of its whole document.

    A document holds the line of every value it has; at 100,000 members those marks alone took
    gigabytes, and the rules across files need only the name and the connections.
    """

    rel: str
    readable: bool  # the front matter could be read
    name: str | None = None  # the name field when it is text
    name_at: tuple[int, int] = (1, 1)
    connections: tuple[str, ...] = ()  # each handle listed, as _enumerate_connections yields them
    places: tuple[int, ...] = ()  # item index, line and column of each, one after another (one tuple, not 300)

    def listed(self) -> Iterator[tuple[str, int, int, int]]:
        """(handle, item index, line, column) of each connection listed."""
        at = iter(self.places)
        return ((handle, *place) for handle, place in zip(self.connections, zip(at, at, at)))

    def problem(self, at: tuple[int, int], field: str, code: str, message: str, hint: str,
                severity: str = "error") -> Problem:
        return Problem(self.rel, at[0], at[1], field, code, message, hint, severity)  # type: ignore[arg-type]


def listing(doc: Document) -> Listing:
    """The part of a checked document that cross_problems reads."""
    if doc.data is None:
        return Listing(doc.rel, False)
    name = doc.data.get("name")
    found = list(_enumerate_connections(doc))
    places = tuple(n for i, _ in found for n in (i, *doc.where(("connections", i))))
    return Listing(doc.rel, True, name if isinstance(name, str) else None, doc.where(("name",)),
                   tuple(h for _, h in found), places)  # type: ignore[arg-type]


def _lookalike_handles(docs: Mapping[str, Listing]) -> list[Problem]:
    """Valid handles that read the same (`ada-1ovelace`, `ada-lovelace`): an error on each of them,
    so a pull request that adds one fails on its own file whichever sorts first."""
    groups: dict[str, list[str]] = {}
    for stem in sorted(docs):
        if handle_problem(stem) is None:
            groups.setdefault(handle_key(stem), []).append(stem)
    out = []
    for stems in groups.values():
        for stem in stems if len(stems) > 1 else ():
            others = ", ".join(f"`{s}`" for s in stems if s != stem)
            out.append(Problem(docs[stem].rel, 1, 1, "handle", "lookalike-handle",
                               f"the handle `{stem}` looks like {others} (1/l, 0/o, rn/m, vv/w, cl/d read alike)",
                               "choose a handle that cannot be mistaken for another member's"))
    return out


def cross_problems(docs: Mapping[str, Listing]) -> list[Problem]:
    """Rules between profiles. `docs` maps each file's stem to its listing; each rule walks them once."""
    out: list[Problem] = []
    # Valid handles first, so a clash is reported on the file whose name is wrong.
    stems = sorted(docs, key=lambda stem: (handle_problem(stem) is not None, stem))
    folded: dict[str, str] = {}
    for stem in stems:
        key = name_key(stem)
        if key in folded:
            out.append(Problem(docs[stem].rel, 1, 1, "handle", "duplicate-handle",
                               f"the handle `{stem}` is the same as `{folded[key]}` apart from case, width or look-alike letters",
                               "choose another handle"))
        folded.setdefault(key, stem)
    out += _lookalike_handles(docs)
    out += _duplicate_names(docs)
    suggest = _Suggester(docs)
    # Whom each readable profile lists, as a set: one lookup per connection. Looking through a
    # list instead reads every handle in it, each a string somewhere else in memory.
    lists = {stem: frozenset(doc.connections) for stem, doc in docs.items() if doc.readable}
    for stem in sorted(docs):
        doc = docs[stem]
        for other, i, line, col in doc.listed():
            if other == stem:  # oneself
                continue
            theirs = lists.get(other)
            if theirs is None:
                if other not in docs and not handle_problem(other):  # an invalid one is the schema's error
                    out.append(doc.problem((line, col), f"connections.{i + 1}", "unknown-connection",
                                           f"no member has the handle `{other}`", suggest(other)))
            elif stem not in theirs and not handle_problem(other):
                out.append(doc.problem((line, col), f"connections.{i + 1}", "pending-connection",
                                       f"connection to `{other}` is pending until {other} lists you",
                                       f"ask {other} to add `{stem}` to their connections", "warning"))
    return out


def _duplicate_names(docs: Mapping[str, Listing]) -> list[Problem]:
    """Names that read the same (case, width, spacing, invisible characters, look-alike letters):
    a warning on each file, so the reviewer of a pull request sees it whichever file is new."""
    groups: dict[str, list[str]] = {}
    for stem in sorted(docs):
        name = docs[stem].name
        if name is not None and name.strip():
            groups.setdefault(name_key(name), []).append(stem)
    out = []
    for stems in groups.values():
        for stem in stems if len(stems) > 1 else ():
            doc, other = docs[stem], docs[next(s for s in stems if s != stem)]
            out.append(doc.problem(doc.name_at, "name", "duplicate-name",
                                   f"`{doc.name}` is also the name on `{other.rel}`",
                                   "reviewers: make sure this is not someone posing as another member", "warning"))
    return out


class _Suggester:
    """Did you mean: a handle spelled nearly the same, the only one starting with it, or a name's slug.

    The sorted handles and the names' slugs are made once, on the first unknown handle, not per typo."""

    def __init__(self, docs: Mapping[str, Listing]) -> None:
        self._docs = docs
        self._stems: list[str] | None = None
        self._slugs: dict[str, list[str]] = {}

    def __call__(self, handle: str) -> str:
        if self._stems is None:
            self._stems = sorted(self._docs)
            for s in self._stems:
                if (name := self._docs[s].name) is not None:
                    self._slugs.setdefault(_name_slug(name), []).append(s)
        stems = self._stems
        close = difflib.get_close_matches(handle, stems, n=1, cutoff=0.6)
        if not close:
            close = [s for s in stems if s.startswith(handle + "-")] or self._slugs.get(handle, [])
        if len(close) == 1:
            return f"did you mean `{close[0]}`?"
        if close:
            return f"did you mean one of: {', '.join(f'`{c}`' for c in close[:5])}?"
        return "check the spelling: a handle is the file name of a profile in content/members/"


def _name_slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", unicodedata.normalize("NFKD", name).encode("ascii", "ignore")
                  .decode().casefold()).strip("-")


def _enumerate_connections(doc: Document) -> Iterable[tuple[int, str]]:
    items = (doc.data or {}).get("connections")
    if not isinstance(items, list) or len(items) > MAX_CONNECTIONS:  # the schema reports the length
        return
    for i, item in enumerate(items):
        handle = item.get("handle") if isinstance(item, dict) else item
        if isinstance(handle, str):
            yield i, handle
