"""The rules beyond the schema: per file (handle, dates, avatar, lists) and across files
(unknown, self and one-sided connections, duplicate handles and names)."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from pathlib import Path
from typing import Any, Iterable

from .content import Document, dotted
from .errors import Problem
from .images import MAX_AVATAR_BYTES, MAX_AVATAR_PIXELS, MAX_AVATAR_SIDE, sniff
from .models import normalise_topic

HANDLE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
MAX_HANDLE = 39
# Names Windows cannot create as files or folders, whatever the extension.
RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
MAX_BIO_CHARS = 20_000
# Characters that reorder or hide text: a name with them can pose as someone else's.
INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad]")
TEXT_FIELDS = ("name", "pronouns", "headline", "location", "contact")


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


def _real_date(text: str) -> bool:
    parts = [int(p) for p in text.split("-")]
    try:
        dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


def file_problems(doc: Document, stem: str, content_dir: Path, aliases: dict[str, str]) -> list[Problem]:
    """Rules of one profile that a JSON Schema cannot say; run after the schema passed."""
    data: dict[str, Any] = doc.data or {}
    out: list[Problem] = []
    why = handle_problem(stem)
    if why:
        out.append(Problem(doc.rel, 1, 1, "handle", "bad-file-name",
                           f"the file name `{stem}.md` is not a valid handle", f"rename the file: {why}"))
    if "handle" in data and data["handle"] != stem:
        out.append(_problem(doc, ("handle",), "handle-mismatch",
                            f"handle `{data['handle']}` differs from the file name `{stem}.md`",
                            f"rename the file to `{data['handle']}.md` or remove the handle field"))
    for key in TEXT_FIELDS:
        if isinstance(data.get(key), str) and INVISIBLE.search(data[key]):
            out.append(_problem(doc, (key,), "invisible-characters",
                                f"{key} contains invisible or text-direction control characters",
                                "remove them: they can make one name look like another"))
    if "joined" in data and not _real_date(data["joined"]):
        out.append(_problem(doc, ("joined",), "bad-date", f"joined: {data['joined']} is not a real date",
                            "check the month and the day"))
    for key in ("fields", "interests", "open_to", "offers", "asks"):
        seen: dict[str, int] = {}
        for i, item in enumerate(data.get(key) or []):
            topic = normalise_topic(item if isinstance(item, str) else item["topic"], aliases)
            if topic in seen:
                out.append(_problem(doc, (key, i), "duplicate-topic",
                                    f"{key} lists `{topic}` twice (also item {seen[topic] + 1})",
                                    "keep one of them", "warning"))
            seen.setdefault(topic, i)
    seen_handles: dict[str, int] = {}
    for i, item in enumerate(data.get("connections") or []):
        other = item if isinstance(item, str) else item["handle"]
        if other == stem:
            out.append(_problem(doc, ("connections", i), "self-connection", "you list yourself as a connection",
                                "remove this entry"))
        if other in seen_handles:
            out.append(_problem(doc, ("connections", i), "duplicate-connection",
                                f"`{other}` is listed twice (also item {seen_handles[other] + 1})",
                                "keep one entry, with the context"))
        seen_handles.setdefault(other, i)
        if isinstance(item, dict):
            for key in ("since", "last_met"):
                if isinstance(item.get(key), str) and not _real_date(item[key]):
                    out.append(_problem(doc, ("connections", i, key), "bad-date",
                                        f"{key}: {item[key]} is not a real date", "check the month and the day"))
    if bio_problem := _bio_problem(doc):
        out.append(bio_problem)
    if "avatar" in data:
        out += _avatar_problems(doc, data["avatar"], content_dir)
    return out


def _bio_problem(doc: Document) -> Problem | None:
    if len(doc.body) > MAX_BIO_CHARS:
        return Problem(doc.rel, doc.body_line, 1, "bio", "bio-too-long",
                       f"the bio is {len(doc.body):,} characters long; at most {MAX_BIO_CHARS:,} are allowed",
                       "shorten it and link to a longer page on your website")
    return None


def _avatar_problems(doc: Document, avatar: str, content_dir: Path) -> list[Problem]:
    def bad(code: str, message: str, hint: str) -> list[Problem]:
        return [_problem(doc, ("avatar",), code, message, hint)]

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
    with path.open("rb") as fh:
        info = sniff(fh.read(64 * 1024))
    if info is None:
        return bad("avatar-format", f"avatar `{avatar}` is not a PNG, JPEG or WebP image (judged by its bytes)",
                   "save it as PNG, JPEG or WebP; SVG is not accepted")
    _, width, height = info
    if not (0 < width <= MAX_AVATAR_SIDE and 0 < height <= MAX_AVATAR_SIDE and width * height <= MAX_AVATAR_PIXELS):
        return bad("avatar-dimensions", f"the avatar is {width}×{height} pixels; at most {MAX_AVATAR_SIDE} a side",
                   "resize it to about 400 by 400 pixels")
    return []


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", INVISIBLE.sub("", text)).casefold()


def cross_problems(docs: dict[str, Document]) -> list[Problem]:
    """Rules between profiles. `docs` maps each file's stem to its parsed document."""
    out: list[Problem] = []
    stems = sorted(docs)
    folded: dict[str, str] = {}
    for stem in stems:
        key = _fold(stem)
        if key in folded:
            out.append(Problem(docs[stem].rel, 1, 1, "handle", "duplicate-handle",
                               f"the handle `{stem}` is the same as `{folded[key]}` apart from case or width",
                               "choose another handle"))
        folded.setdefault(key, stem)
    listed = {stem: set(_connection_handles(doc)) for stem, doc in docs.items() if doc.data is not None}
    names: dict[str, str] = {}
    for stem in stems:
        doc = docs[stem]
        if doc.data is None:
            continue
        name = doc.data.get("name")
        if isinstance(name, str) and name.strip():
            if (key := _fold(name.strip())) in names:
                out.append(_problem(doc, ("name",), "duplicate-name",
                                    f"`{name}` is also the name on `{names[key]}`",
                                    "reviewers: make sure this is not someone posing as another member", "warning"))
            names.setdefault(key, docs[stem].rel)
        for i, other in _enumerate_connections(doc):
            if other == stem:
                continue
            if other not in docs:
                close = difflib.get_close_matches(other, stems, n=1, cutoff=0.6)
                out.append(_problem(doc, ("connections", i), "unknown-connection", f"no member has the handle `{other}`",
                                    f"did you mean `{close[0]}`?" if close else
                                    "check the spelling: a handle is the file name of a profile in content/members/"))
            elif other in listed and stem not in listed[other]:
                out.append(_problem(doc, ("connections", i), "pending-connection",
                                    f"connection to `{other}` is pending until {other} lists you",
                                    f"ask {other} to add `{stem}` to their connections", "warning"))
    return out


def _enumerate_connections(doc: Document) -> Iterable[tuple[int, str]]:
    items = (doc.data or {}).get("connections")
    if not isinstance(items, list):
        return
    for i, item in enumerate(items):
        handle = item.get("handle") if isinstance(item, dict) else item
        if isinstance(handle, str):
            yield i, handle


def _connection_handles(doc: Document) -> Iterable[str]:
    return (h for _, h in _enumerate_connections(doc))
