"""Load the whole community: read every profile, validate it all, build the model.

Every problem of every file is collected before anything is decided, so `check` and `build`
report all of them in one run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

from .config import load_config
from .content import Document, load_document, member_files, page_files, relative, stray_member_files
from .errors import Problem, sort_problems
from .models import Claim, Community, Help, Link, Member, Page, SiteConfig, no_cycle_collection, normalise_topic
from .parallel import ordered_map
from .schema import schema_problems
from .validate import Listing, cross_problems, file_problems, handle_problem, listing


_PROFILE_URLS = {
    "github": "https://github.com/{}",
    "gitlab": "https://gitlab.com/{}",
    "linkedin": "https://www.linkedin.com/in/{}",
}


@dataclass(frozen=True)
class Loaded:
    """What loading found: the community (published members only) and every problem."""

    community: Community
    problems: list[Problem]
    drafts: tuple[Member, ...] = ()
    # What reading each profile gave, with the file's record when one was given: the next
    # incremental build reads only the files whose record changed (incremental.py).
    reads: Mapping[str, tuple[str, "Read"]] = field(default_factory=dict, compare=False, repr=False)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def load_community(source: Path, *, drafts: bool = False, jobs: int = 1,
                   records: Mapping[str, str] | None = None,
                   known: Mapping[str, tuple[str, "Read"]] | None = None) -> Loaded:
    """Read, validate and model everything under source/content; never raises for bad input.

    `jobs` processes read and check the profiles (each file on its own); the result is the same.
    `records` are the profiles' file records by file name (uptodate.scan); `known` what reading
    each gave last time, with its record then: a profile whose record is unchanged is not read
    again (its reading depends on nothing else that could change without a full build).
    """
    config, problems = load_config(source)
    files = member_files(source)
    reading = _Reading(source, (source / "content").resolve(), source.resolve(), config)
    listings: dict[str, Listing] = {}
    members: list[Member] = []
    records, known = records or {}, known or {}
    reused = {p.name: known[p.name][1] for p in files
              if p.name in known and p.name in records and known[p.name][0] == records[p.name]}
    fresh = iter(ordered_map(read_profiles, reading, [str(p) for p in files if p.name not in reused], jobs))
    reads: dict[str, tuple[str, Read]] = {}
    with no_cycle_collection():
        for path in files:
            read = reused.get(path.name) or next(fresh)
            if path.name in records:
                reads[path.name] = (records[path.name], read)
            listed, member, found = read
            problems += found
            listings[path.stem] = listed
            if member is not None:
                members.append(member)
        problems += cross_problems(listings)
    problems += [Problem(relative(path, source), 1, 1, "", "not-a-profile",
                         f"`{path.name}` is not read: only files ending in .md are profiles",
                         f"rename it to `{path.name.split('.')[0].lower()}.md` if it is one", "warning")
                 for path in stray_member_files(source)]
    pages, page_problems = load_pages(source)
    problems += page_problems
    broken = {p.file for p in problems if p.severity == "error"}
    members = [m for m in members if m.source not in broken]  # a rule across files may still refuse one
    published = tuple(m for m in members if drafts or not m.draft)
    return Loaded(Community(config, tuple(sorted(published, key=lambda m: m.handle)),
                            pages=tuple(p for p in pages if p.source not in broken)),
                  sort_problems(problems), tuple(m for m in members if m.draft), reads)


@dataclass(frozen=True)
class _Reading:
    """What reading one profile needs besides its path."""

    source: Path
    content: Path  # resolved
    real_source: Path  # resolved
    config: SiteConfig


Read = tuple[Listing, Member | None, list[Problem]]


def read_profiles(reading: _Reading, paths: Sequence[str]) -> list[Read]:
    """Read and check each profile on its own: what the rules across files need, the member when
    the file has no error of its own, and its problems (the schema's and the rules').

    Only these go back from a worker: the parsed document, with the line of every value, stays here.
    """
    out: list[Read] = []
    aliases = dict(reading.config.aliases)
    folders: dict[str, str | None] = {}
    for name in paths:
        path = Path(name)
        rel = _where(reading, path, folders)
        if rel is None:  # read nothing a pull request could point a link at
            outside = _link_outside(path, reading.source)
            out.append((Listing(outside.file, False), None, [outside]))
            continue
        doc = load_document(path, rel)
        found = list(doc.problems)
        member = None
        if doc.data is not None:  # the schema and the rules beyond it, side by side: every problem at once
            found += schema_problems(doc)
            found += file_problems(doc, path.stem, reading.source / "content", aliases)
            if not any(p.severity == "error" for p in found):
                member = to_member(doc, path.stem, reading.config)
        out.append((listing(doc), member, found))
    return out


def _where(reading: _Reading, path: Path, folders: dict[str, str | None]) -> str | None:
    """The profile's path as reports show it, or None when it really is outside content/.

    A file that is not a symbolic link is where its folder really is, so only the folder is
    resolved (once, remembered in `folders`): resolving costs a system call per folder of the path.
    """
    if path.is_symlink():
        return _real_rel(reading, path, path.resolve())
    folder = str(path.parent)
    if folder not in folders:
        folders[folder] = _real_rel(reading, path.parent, path.parent.resolve())
    rel = folders[folder]
    return None if rel is None else f"{rel}/{path.name}"


def _real_rel(reading: _Reading, path: Path, real: Path) -> str | None:
    if not real.is_relative_to(reading.content):
        return None
    return real.relative_to(reading.real_source).as_posix() if real.is_relative_to(reading.real_source) \
        else relative(path, reading.source)


def _link_outside(path: Path, source: Path) -> Problem:
    """A profile that is a link to a file outside content/ (a CI secret, /etc/passwd) is refused unread."""
    return Problem(relative(path, source), 1, 1, "", "link-outside",
                   "the profile is a symbolic link to a file outside content/", "replace the link with the file itself")


def load_pages(source: Path) -> tuple[list[Page], list[Problem]]:
    """content/pages/*.md: `title:` front matter and a Markdown body, checked like profiles are."""
    pages: list[Page] = []
    problems: list[Problem] = []
    for path in page_files(source):
        doc = load_document(path, relative(path, source))
        problems += doc.problems
        if why := handle_problem(path.stem):
            problems.append(Problem(doc.rel, 1, 1, "", "bad-file-name",
                                    f"the file name `{path.name}` cannot be a page address", f"rename the file: {why}"))
        if doc.data is None:
            continue
        problems += schema_problems(doc, "page")
        if isinstance(doc.data.get("title"), str):
            pages.append(Page(path.stem, doc.data["title"].strip(), doc.rel, doc.body))
    return pages, problems


def _topics(items: list[Any] | None, aliases: dict[str, str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(normalise_topic(t, aliases) for t in items or ()))


def _helps(items: list[Any] | None, aliases: dict[str, str]) -> tuple[Help, ...]:
    helps: dict[str, Help] = {}
    for item in items or ():
        topic, detail = (item, "") if isinstance(item, str) else (item["topic"], item.get("detail", ""))
        topic = normalise_topic(topic, aliases)
        helps.setdefault(topic, Help(topic, detail.strip()))
    return tuple(helps.values())


def _claims(items: list[Any] | None) -> tuple[Claim, ...]:
    claims: dict[str, Claim] = {}
    for item in items or ():
        if isinstance(item, str):
            item = {"handle": item}
        claims.setdefault(item["handle"], Claim(
            handle=item["handle"], context=item.get("context", "").strip(),
            strength=item.get("strength", "acquaintance"),
            since=str(item.get("since", "")), last_met=str(item.get("last_met", ""))))
    return tuple(claims.values())


def _link(kind: str, value: str) -> Link:
    if value.startswith(("http://", "https://")):
        label = value.split("://", 1)[1].rstrip("/")
        return Link(kind, label, value)
    if kind == "mastodon":
        user, host = value.lstrip("@").split("@", 1)
        return Link(kind, f"@{user}@{host}", f"https://{host}/@{user}")
    return Link(kind, value, _PROFILE_URLS[kind].format(value))


def to_member(doc: Document, stem: str, config: SiteConfig) -> Member:
    """A valid document as a Member: topics normalised, connections and links resolved."""
    data: dict[str, Any] = doc.data or {}
    aliases = dict(config.aliases)
    return Member(
        handle=stem, name=data["name"].strip(), source=doc.rel,
        pronouns=data.get("pronouns", "").strip(), headline=data.get("headline", "").strip(),
        location=data.get("location", "").strip(),
        fields=_topics(data.get("fields"), aliases), interests=_topics(data.get("interests"), aliases),
        offers=_helps(data.get("offers"), aliases), asks=_helps(data.get("asks"), aliases),
        claims=_claims(data.get("connections")), introduces=data.get("introductions", True),
        open_to=_topics(data.get("open_to"), aliases),
        links=tuple(_link(k, v) for k, v in (data.get("links") or {}).items()),
        contact=data.get("contact", "").strip(), email=data.get("email", "").strip(),
        avatar=data.get("avatar", ""), joined=data.get("joined", ""), draft=data.get("draft", False),
        bio=doc.body,
    )
