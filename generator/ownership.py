"""Who may change what in a pull request: the rules, as pure functions over file texts.

A profile's `links.github` names its owner. A member may change their own profile and the
avatar it points at; everything else belongs to the maintainers listed in site.yaml. Every
verdict about an existing file is judged on the BASE version, so a pull request cannot make
itself the owner of a profile (by rewriting its links.github) or a maintainer (by editing
site.yaml) and then use that to pass.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Any, Literal, Mapping
from urllib.parse import urlsplit

from .content import MAX_FILE_BYTES, parse_yaml, split_front_matter
from .errors import Problem

MEMBERS = "content/members/"
AVATARS = "content/avatars/"
SITE = "content/site.yaml"
_GITHUB_HOSTS = {"github.com", "www.github.com"}
_PROFILE = re.compile(r"^content/members/[^/\n]+\.md$")

Status = Literal["A", "M", "D", "R"]


@dataclass(frozen=True)
class Change:
    """One changed file: Added, Modified, Deleted, or Renamed from `old`; paths relative to the community."""

    status: Status
    path: str
    old: str = ""


@dataclass(frozen=True)
class Owner:
    """What ownership needs from one profile: the owner's login (lowercase, "" for none),
    the line of links.github (1 when absent) and the repository path of its avatar."""

    login: str = ""
    line: int = 1
    avatar: str = ""


@dataclass(frozen=True)
class Snapshot:
    """One side of a pull request: the text of every profile and of site.yaml (None when absent)."""

    profiles: Mapping[str, str]
    site: str | None = None


def is_profile(path: str) -> bool:
    """Whether a path is a profile: a Markdown file directly in content/members/."""
    return bool(_PROFILE.match(path))


def login_of(value: Any) -> str:
    """The GitHub login a links.github value names, lowercase: a username or a github.com URL."""
    if not isinstance(value, str):
        return ""
    value = value.strip()
    if value.startswith(("http://", "https://")):
        parts = urlsplit(value)
        segments = [s for s in parts.path.split("/") if s]
        return segments[0].lower() if (parts.hostname or "") in _GITHUB_HOSTS and segments else ""
    return value.lstrip("@").lower()


def _front_matter(text: str, rel: str) -> tuple[dict[str, Any], dict]:
    if len(text.encode("utf-8", "replace")) > MAX_FILE_BYTES:
        return {}, {}
    front, _, _, _ = split_front_matter(text.removeprefix("\ufeff").replace("\r\n", "\n"), rel)
    if front is None:
        return {}, {}
    data, marks, _ = parse_yaml(front, rel, first_line=2)
    return (data, marks) if isinstance(data, dict) else ({}, {})


def owner_of(text: str | None, rel: str) -> Owner:
    """Read a profile's owner and avatar; an unreadable profile has no owner."""
    if text is None:
        return Owner()
    data, marks = _front_matter(text, rel)
    links = data.get("links")
    login = login_of(links.get("github")) if isinstance(links, dict) else ""
    line = marks.get(("links", "github"), marks.get(("links",), (1, 1)))[0]
    avatar = data.get("avatar")
    path = ""
    if isinstance(avatar, str) and avatar and not avatar.startswith(("/", "\\")) and "\\" not in avatar:
        path = posixpath.normpath("content/" + avatar)
        path = path if path.startswith("content/") else ""
    return Owner(login, line, path)


def maintainers_of(site: str | None) -> frozenset[str]:
    """The lowercase logins site.yaml lists as maintainers; none when it cannot be read."""
    if site is None:
        return frozenset()
    data, _, _ = parse_yaml(site, SITE)
    names = data.get("maintainers") if isinstance(data, dict) else None
    return frozenset(login_of(n) for n in names if isinstance(n, str)) if isinstance(names, list) else frozenset()


class _Owners:
    """Owners parsed on demand, once each: the changed profiles, and those naming a changed avatar."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot, self._seen = snapshot, {}

    def __call__(self, path: str) -> Owner:
        if path not in self._seen:
            self._seen[path] = owner_of(self.snapshot.profiles.get(path), path)
        return self._seen[path]

    def naming(self, names: set[str]) -> dict[str, Owner]:
        """The owners of the profiles whose text contains one of `names` (avatar file names).

        Only those can point at the avatars: reading every profile would cost seconds per
        ten thousand members. A profile that spells its avatar's name with YAML escapes is
        missed, which can only make its own owner's avatar easier to replace.
        """
        return {path: self(path) for path, text in sorted(self.snapshot.profiles.items())
                if any(name in text for name in names)}


def ownership_problems(author: str, changes: list[Change], base: Snapshot, head: Snapshot) -> list[Problem]:
    """Every change `author` may not make; none at all when the base site.yaml lists them as a maintainer."""
    me = login_of(author)
    if me in maintainers_of(base.site):
        return []
    base_owner, head_owner = _Owners(base), _Owners(head)
    problems: list[Problem] = []
    avatars: list[tuple[str, str]] = []  # (path, how it changed)
    for change in sorted(changes, key=lambda c: (c.path, c.old)):
        if change.status == "R" and is_profile(change.old) and is_profile(change.path):
            problems += _profile(me, change.path, change.old, "renames", base_owner(change.old), head_owner(change.path))
            continue
        parts = [("D", change.old), ("A", change.path)] if change.status == "R" else [(change.status, change.path)]
        for status, path in parts:
            if is_profile(path):
                verb = {"A": "adds", "M": "edits", "D": "deletes"}[status]
                problems += _profile(me, path, path, verb, base_owner(path), head_owner(path))
            elif path.startswith(AVATARS):
                avatars.append((path, {"A": "adds", "M": "changes", "D": "deletes"}[status]))
            else:
                problems.append(Problem(
                    path, 1, 1, "", "maintainers-only",
                    f"only maintainers may change `{path}`; this pull request by `{me}` does",
                    "a member's pull request changes only their own profile in content/members/ and its avatar "
                    "in content/avatars/: undo this change, or ask a maintainer (listed in content/site.yaml)"))
    if avatars:
        names = {posixpath.basename(path) for path, _ in avatars}
        problems += _avatars(me, avatars, base_owner.naming(names), head_owner.naming(names),
                             {p.file for p in problems if p.code == "not-owner"})
    return problems


def _profile(me: str, path: str, old: str, verb: str, before: Owner, after: Owner) -> list[Problem]:
    """A profile change is the author's when the base names them (new profiles: the new version does)."""
    owner = after.login if verb == "adds" else before.login
    if owner == me:
        return []
    line = after.line if verb != "deletes" else 1
    field = "links.github"
    if verb == "adds" and not owner:
        message = f"this new profile names no owner; its links.github must be your login, `{me}`"
        hint = f"add\n  links:\n    github: {me}\nso that you, and only you, may edit it later"
    elif verb == "adds":
        message = f"this new profile names `{owner}` as its owner (links.github), but the pull request is by `{me}`"
        hint = f"add only your own profile, with `github: {me}` under links; `{owner}` can open a pull request for theirs"
    elif not owner:
        message = f"this pull request {verb} `{old}`, which names no owner (links.github), so only a maintainer may"
        hint = "undo the change to this file; if it is your profile, ask a maintainer to add your login as links.github"
    else:
        message = f"this pull request by `{me}` {verb} `{old}`, which belongs to `{owner}` (links.github)"
        hint = f"undo the change to this file; a member changes only their own profile. Ask `{owner}` or a maintainer"
    return [Problem(path, line, 1, field, "not-owner", message, hint)]


def _avatars(me: str, avatars: list[tuple[str, str]], base: dict[str, Owner], head: dict[str, Owner],
             refused: set[str]) -> list[Problem]:
    """An avatar belongs to the profiles that point at it: no one else's may (in the base), and one of
    the author's must (in the base, or in a head profile the author was allowed to change)."""
    base_users: dict[str, set[str]] = {}
    for owner in base.values():
        if owner.avatar:
            base_users.setdefault(owner.avatar, set()).add(owner.login)
    mine = {o.avatar for o in base.values() if o.login == me and o.avatar}
    mine |= {o.avatar for p, o in head.items() if o.login == me and o.avatar and p not in refused}
    problems = []
    for path, verb in avatars:
        others = sorted(base_users.get(path, set()) - {me})
        if others:
            whose = ", ".join(f"`{o}`" if o else "a profile with no owner" for o in others)
            message = f"this pull request by `{me}` {verb} `{path}`, the avatar of {whose}"
            hint = "undo the change to this image; put your own avatar under a new name and point your profile at it"
        elif path not in mine:
            message = f"this pull request by `{me}` {verb} `{path}`, which none of your profiles points at"
            hint = (f"set `avatar: {path.removeprefix('content/')}` in your own profile (the one whose links.github "
                    f"is `{me}`), or undo the change to this image")
        else:
            continue
        problems.append(Problem(path, 1, 1, "", "not-owner", message, hint))
    return problems
