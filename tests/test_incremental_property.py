"""The incremental rebuild against clean builds, over random edits of a small community.

The promise (generator/incremental.py): after any sequence of edits, a build with the cache
makes a site byte-identical to a clean build, and never writes into a file of the previous
site (it replaces, links or deletes them); a failed build leaves the site as it was. Each step
below edits one or two profiles (or, now and then, adds or removes a member, saves a file
unchanged, replaces an avatar image or edits site.yaml), builds with the cache and from clean,
and compares; every file of the previous site is held open across the build and must still hold
the bytes it had. A step's build must be incremental exactly when only a full build could not
be avoided: the published members, a topic's URL or a main field's colour moved, or something
outside content/members/ changed.

The edits are drawn from random.Random with fixed seeds: the same steps on every run.
"""

from __future__ import annotations

import os
import random
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml

from conftest import require
from generator import writer
from generator.build import build
from generator.errors import CheckFailed, ConnectoryError
from generator.models import topic_slugs
from generator.pictures import PALETTE
from generator.search import INDEX_FOLDER

# Distinct at a glance: no two read alike (validate's look-alike handles), none a prefix of another.
HANDLES = ("ada", "bea", "cyd", "dov", "eve", "fay", "gus", "hal", "ike", "jan", "kit", "lev", "max",
           "ned", "oki", "pat", "quin", "rex", "sue", "tom", "uma", "vic", "wes", "xan", "yan", "zoe",
           "abe", "bez", "cat", "deb", "eli", "fox", "gil", "hue", "ivy", "jo", "kai", "lux", "mia", "nia",
           "oz", "pia", "ray", "sol", "tia", "uri", "val", "wyn", "yul", "zak")
FIRST = ("Ada", "Łukasz", "Grace", "Zoë", "Mary", "Chen", "Amara", "Olu", "Ines", "Björn", "Sam", "Noor")
LAST = ("Lovelace", "Ødegaard", "Hopper", "Somerville", "Wei", "Okafor", "García", "Nakamura", "Smith")
# "c++" and "c plus plus" share a slug: adding one can move the other's (a full build then).
TOPICS = ("python", "rust", "c++", "c plus plus", "astronomy", "poetry", "compilers", "design", "music",
          "gardening", "statistics", "writing", "teaching", "hiring", "funding", "mentoring")
STRENGTHS = ("close", "regular", "acquaintance")
AVATARS = {"avatars/one.png": "png", "avatars/two.jpg": "jpeg", "avatars/three.webp": "webp"}
BIOS = ("Plain words about me.",
        "I build **engines** and write *poems*.\n\n- one\n- two\n\nSee [my site](https://example.org/me).",
        "# Work\n\nMostly compilers.\n\n## Elsewhere\n\nGardening, with `tools`.",
        "Short.", "Ask me about astronomy & tea; <b>bold</b> claims.")


def image(kind: str, side: int = 64) -> bytes:
    """A few bytes whose headers say PNG, JPEG or WebP of side x side pixels (images.sniff reads no further)."""
    if kind == "png":
        return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + struct.pack(">II", side, side) + b"\x08\x02\x00\x00\x00" * 4
    if kind == "jpeg":
        app0 = b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
        return b"\xff\xd8" + app0 + b"\xff\xc0\x00\x11\x08" + struct.pack(">HH", side, side) + b"\x03" + b"\x00" * 20
    size = (side - 1).to_bytes(3, "little") * 2
    return b"RIFF\x20\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00\x00\x00\x00\x00" + size + b"\x00" * 8


# --- the community as the test sees it ----------------------------------------------------------


@dataclass
class Community:
    """Profiles as front matter dicts (plus "bio"), written to files; what the steps edit."""

    root: Path
    rng: random.Random
    profiles: dict[str, dict[str, Any]] = field(default_factory=dict)
    site: dict[str, Any] = field(default_factory=dict)
    clock: int = 0  # file times: each write a second later than the last, so every edit is seen
    drafts: bool = False  # built with drafts: a draft is published like any other member

    def write(self, handle: str) -> None:
        data = {k: v for k, v in self.profiles[handle].items() if k != "bio"}
        text = "---\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True) + "---\n" \
            + self.profiles[handle]["bio"] + "\n"
        self._put(self.path(handle), text)

    def write_site(self) -> None:
        self._put(self.root / "content" / "site.yaml", yaml.safe_dump(self.site, sort_keys=False))

    def touch(self, path: Path) -> None:
        self.clock += 1_000_000_000
        os.utime(path, ns=(self.clock, self.clock))

    def _put(self, path: Path, text: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.touch(path)

    def remove(self, handle: str) -> None:
        del self.profiles[handle]
        self.path(handle).unlink()

    def path(self, handle: str) -> Path:
        return self.root / "content" / "members" / f"{handle}.md"

    def published(self) -> set[str]:
        return {h for h, p in self.profiles.items() if self.drafts or not p.get("draft")}

    def slugs(self) -> dict[str, str]:
        topics: set[str] = set()
        for h in self.published():
            p = self.profiles[h]
            topics.update(p.get("fields", []) + p.get("interests", []) + p.get("open_to", []))
            topics.update(x if isinstance(x, str) else x["topic"] for x in p.get("offers", []) + p.get("asks", []))
        return topic_slugs(topics)

    def colours(self) -> dict[str, int]:
        """Each main field's place in the circles' palette: the most common first fields get one each."""
        count: dict[str, int] = {}
        for h in self.published():
            main = (self.profiles[h].get("fields") or [""])[0]
            count[main] = count.get(main, 0) + 1
        ranked = sorted((f for f in count if f), key=lambda f: (-count[f], f))[:len(PALETTE)]
        return {f: n for n, f in enumerate(ranked)}


def listed(p: dict[str, Any]) -> list[str]:
    return [c if isinstance(c, str) else c["handle"] for c in p.get("connections", [])]


def new_profile(rng: random.Random, handle: str, others: list[str]) -> dict[str, Any]:
    """A random profile listing a few of `others`."""
    p: dict[str, Any] = {"name": f"{rng.choice(FIRST)} {rng.choice(LAST)}"}
    if rng.random() < 0.6:
        p["headline"] = rng.choice(("Engineer", "Poet & maker", "Looks at stars", "Teacher"))
    if rng.random() < 0.4:
        p["location"] = rng.choice(("London", "Lagos", "Kyoto", "Oslo"))
    for key, most in (("fields", 2), ("interests", 3), ("offers", 2), ("asks", 2), ("open_to", 1)):
        chosen = rng.sample(TOPICS, rng.randint(0, most))
        if key in ("offers", "asks"):
            chosen = [{"topic": t, "detail": f"about {t}"} if rng.random() < 0.4 else t for t in chosen]
        if chosen:
            p[key] = chosen
    links = rng.sample(others, min(len(others), rng.randint(0, 4)))
    if links:
        p["connections"] = [connection(rng, h) for h in links]
    if rng.random() < 0.15:
        p["introductions"] = False
    if rng.random() < 0.12:
        p["avatar"] = rng.choice(sorted(AVATARS))
    if rng.random() < 0.3:
        p["joined"] = f"20{rng.randint(10, 24)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
    p["bio"] = rng.choice(BIOS)
    return p


def connection(rng: random.Random, handle: str) -> str | dict[str, Any]:
    if rng.random() < 0.5:
        return handle
    c: dict[str, Any] = {"handle": handle, "strength": rng.choice(STRENGTHS)}
    if rng.random() < 0.5:
        c["context"] = rng.choice(("met at a meetup", "worked together", "school"))
    return c


def make_community(root: Path, seed: int, size: int = 30, drafts: bool = False) -> Community:
    """`size` members, about a tenth drafts, many connections listed back (confirmed), some not."""
    rng = random.Random(seed)
    c = Community(root, rng, clock=1_700_000_000_000_000_000, drafts=drafts)
    c.site = {"title": "Property club", "base_url": "https://example.org/club/"}
    handles = list(HANDLES[:size])
    for h in handles:
        c.profiles[h] = new_profile(rng, h, [o for o in handles if o != h])
        if rng.random() < 0.1:
            c.profiles[h]["draft"] = True
    for h in handles:  # most claims listed back
        for other in listed(c.profiles[h]):
            if rng.random() < 0.6 and h not in listed(c.profiles[other]):
                c.profiles[other].setdefault("connections", []).append(connection(rng, h))
    for rel, kind in AVATARS.items():
        path = root / "content" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(image(kind))
    c.write_site()
    for h in handles:
        c.write(h)
    return c


# --- edits of one profile -----------------------------------------------------------------------

Edit = Callable[[random.Random, dict[str, Any], str, list[str]], str]


def _optional(key: str, values: tuple[str, ...]) -> Edit:
    def edit(rng: random.Random, p: dict[str, Any], handle: str, others: list[str]) -> str:
        if key in p and rng.random() < 0.4:
            del p[key]
            return f"{key} removed"
        p[key] = rng.choice(values)
        return f"{key} = {p[key]!r}"
    return edit


def _topics(key: str) -> Edit:
    def edit(rng: random.Random, p: dict[str, Any], handle: str, others: list[str]) -> str:
        items = p.setdefault(key, [])
        names = [x if isinstance(x, str) else x["topic"] for x in items]
        action = rng.choice(("add", "remove", "reorder", "detail") if key in ("offers", "asks")
                            else ("add", "remove", "reorder"))
        if action == "add" or not items:
            topic = rng.choice([t for t in TOPICS if t not in names])
            items.insert(rng.randint(0, len(items)),
                         {"topic": topic, "detail": "new detail"} if key in ("offers", "asks") and rng.random() < 0.5
                         else topic)
            return f"{key} + {topic}"
        if action == "remove":
            gone = items.pop(rng.randrange(len(items)))
            if not items:
                del p[key]
            return f"{key} - {gone}"
        if action == "reorder":
            items.append(items.pop(0))  # the first field is the main one: colours in the circles
            return f"{key} reordered"
        i = rng.randrange(len(items))
        topic = names[i]
        items[i] = topic if isinstance(items[i], dict) and rng.random() < 0.3 else \
            {"topic": topic, "detail": rng.choice(("a detail", "another detail", "more"))}
        return f"{key} detail of {topic}"
    return edit


def edit_bio(rng: random.Random, p: dict[str, Any], handle: str, others: list[str]) -> str:
    p["bio"] = rng.choice([b for b in BIOS if b != p["bio"]])
    return "bio"


def edit_name(rng: random.Random, p: dict[str, Any], handle: str, others: list[str]) -> str:
    p["name"] = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    return f"name = {p['name']}"


def edit_links(rng: random.Random, p: dict[str, Any], handle: str, others: list[str]) -> str:
    if "links" in p and rng.random() < 0.4:
        del p["links"]
        return "links removed"
    p["links"] = rng.choice(({"github": handle}, {"website": f"https://example.org/{handle}"},
                             {"github": handle, "mastodon": f"@{handle}@example.social"}))
    return f"links = {p['links']}"


def add_connection(rng: random.Random, p: dict[str, Any], handle: str, others: list[str]) -> str:
    free = [o for o in others if o not in listed(p)]
    if not free:
        return remove_connection(rng, p, handle, others)
    other = rng.choice(free)
    p.setdefault("connections", []).append(connection(rng, other))
    return f"lists {other}"


def remove_connection(rng: random.Random, p: dict[str, Any], handle: str, others: list[str]) -> str:
    if not p.get("connections"):
        return add_connection(rng, p, handle, others)
    gone = p["connections"].pop(rng.randrange(len(p["connections"])))
    if not p["connections"]:
        del p["connections"]
    return f"no longer lists {gone if isinstance(gone, str) else gone['handle']}"


def connection_detail(rng: random.Random, p: dict[str, Any], handle: str, others: list[str]) -> str:
    if not p.get("connections"):
        return add_connection(rng, p, handle, others)
    i = rng.randrange(len(p["connections"]))
    c = p["connections"][i]
    other = c if isinstance(c, str) else c["handle"]
    p["connections"][i] = {"handle": other, "strength": rng.choice(STRENGTHS),
                           "context": rng.choice(("old friends", "a conference", "neighbours"))}
    return f"connection to {other} now {p['connections'][i]['strength']}"


def toggle_introductions(rng: random.Random, p: dict[str, Any], handle: str, others: list[str]) -> str:
    if p.get("introductions") is False:
        del p["introductions"]
        return "introduces again"
    p["introductions"] = False
    return "introductions: false"


def edit_avatar(rng: random.Random, p: dict[str, Any], handle: str, others: list[str]) -> str:
    if "avatar" in p and rng.random() < 0.5:
        del p["avatar"]
        return "avatar removed"
    p["avatar"] = rng.choice(sorted(AVATARS))
    return f"avatar = {p['avatar']}"


EDITS: tuple[Edit, ...] = (
    edit_bio, edit_name, _optional("headline", ("Engineer", "Poet", "Stargazer", "Gardener & cook")),
    _optional("location", ("Paris", "Lima", "Accra")), _optional("pronouns", ("she/her", "he/him", "they/them")),
    edit_links, _optional("joined", ("2019-05-01", "2023-11-30", "2024-02-29")),
    _topics("fields"), _topics("interests"), _topics("offers"), _topics("asks"), _topics("open_to"),
    add_connection, add_connection, remove_connection, connection_detail, toggle_introductions, edit_avatar,
)


# --- a step: edit, build cached and clean, compare ----------------------------------------------


@dataclass(frozen=True)
class Step:
    what: str
    full: bool  # only a full build gives the promised site: incremental must be None


def random_step(c: Community) -> Step:
    """One or two profiles edited (mostly); now and then a member added or removed, a profile
    saved unchanged, site.yaml or an avatar image edited."""
    rng = c.rng
    roll = rng.random()
    handles = sorted(c.profiles)
    before = (c.published(), c.slugs(), c.colours())
    if roll < 0.07:
        handle = rng.choice([h for h in HANDLES if h not in c.profiles])
        c.profiles[handle] = new_profile(rng, handle, handles)
        c.write(handle)
        back = [o for o in listed(c.profiles[handle]) if rng.random() < 0.5]
        for other in back:  # confirmed at once by some
            c.profiles[other].setdefault("connections", []).append(handle)
            c.write(other)
        return Step(f"added {handle} (listed back by {back})", True)
    if roll < 0.11 and len(handles) > 20:
        handle = rng.choice(handles)
        c.remove(handle)
        for other, p in c.profiles.items():  # else their claims name no member: an error
            if handle in listed(p):
                p["connections"] = [x for x in p["connections"] if (x if isinstance(x, str) else x["handle"]) != handle]
                if not p["connections"]:
                    del p["connections"]
                c.write(other)
        return Step(f"removed {handle}", _moved(before, c))  # a draft: the site may have the same members
    if roll < 0.14:
        c.site["title"] = rng.choice(("Property club", "The club", "Club of edits"))
        c.site["description"] = rng.choice(("", "Who knows whom.", "Edits, edits."))
        c.site["base_url"] = rng.choice(("https://example.org/club/", "/", "/club/"))
        c.write_site()
        return Step(f"site.yaml: {c.site}", True)
    if roll < 0.16:
        rel = rng.choice(sorted(AVATARS))
        (c.root / "content" / rel).write_bytes(image(AVATARS[rel], rng.choice((32, 48, 64, 80))))
        c.touch(c.root / "content" / rel)
        return Step(f"image {rel} replaced", True)
    if roll < 0.20:
        handle = rng.choice(handles)
        if rng.random() < 0.5:
            c.touch(c.path(handle))
            return Step(f"{handle} saved unchanged", False)
        copy = c.path(handle).with_suffix(".tmp")  # an editor's save: a new file renamed over the old
        copy.write_bytes(c.path(handle).read_bytes())
        os.replace(copy, c.path(handle))
        return Step(f"{handle} saved unchanged by rename", False)
    if roll < 0.25:
        handle = rng.choice(handles)
        p = c.profiles[handle]
        p["draft"] = not p.get("draft", False)
        c.write(handle)
        return Step(f"{handle} draft = {p['draft']}", _moved(before, c))
    if roll < 0.32:  # a claim listed back: confirmed, in one pull request editing both
        a, b = rng.sample(handles, 2)
        done = []
        for x, y in ((a, b), (b, a)):
            if y not in listed(c.profiles[x]):
                c.profiles[x].setdefault("connections", []).append(connection(rng, y))
                done.append(x)
            c.write(x)
        return Step(f"{a} and {b} list each other (new in {done})", _moved(before, c))
    edited = rng.sample(handles, 2 if roll > 0.85 else 1)
    what = []
    for handle in edited:
        p = c.profiles[handle]
        for _ in range(rng.choice((1, 1, 1, 2))):
            what.append(f"{handle}: {rng.choice(EDITS)(rng, p, handle, [h for h in handles if h != handle])}")
        c.write(handle)
    return Step("; ".join(what), _moved(before, c))


def broken_edit(c: Community, site: Path, where: str, **options: Any) -> None:
    """A profile saved with an error: the build fails, the site stays as it was; then it is fixed."""
    handle = c.rng.choice(sorted(c.profiles))
    good = c.profiles[handle]
    c.profiles[handle] = {**good, "connections": [*good.get("connections", []), "nobody-here"]}
    c.write(handle)
    before = snapshot(site)
    with pytest.raises(CheckFailed):
        build(c.root, site, cache=True, **options)
    assert snapshot(site) == before, where
    c.profiles[handle] = good
    c.write(handle)


def _moved(before: tuple[set[str], dict[str, str], dict[str, int]], c: Community) -> bool:
    """Whether the published members changed, a topic kept its name but not its URL, or a main
    field its colour (the circle on every member page): what only a full build renders."""
    members, slugs, colours = before
    now = c.slugs()
    return members != c.published() or any(slugs[t] != now[t] for t in slugs.keys() & now.keys()) \
        or colours != c.colours()


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under folder by path, and every folder (an empty one left behind is a difference)."""
    return {p.relative_to(folder).as_posix() + ("/" if p.is_dir() else ""): b"" if p.is_dir() else p.read_bytes()
            for p in sorted(folder.rglob("*"))}


def inodes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in sorted(folder.rglob("*")) if p.is_file()}


def differences(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    return sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))


def cached_build(source: Path, out: Path, since: Path | None = None, **options: Any) -> tuple[Any, list[str]]:
    """A build with the cache, and the files of the previous site it wrote into (must be none).

    Every file of the previous site is held open across the build: whatever the build does with
    the site's paths (replace, delete, link), the files themselves must keep their bytes. With
    `since` (each build a folder of its own, as in serve) the previous folder must not change at all."""
    previous = since if since is not None else out
    held = {p.relative_to(previous).as_posix(): os.open(p, os.O_RDONLY)
            for p in sorted(previous.rglob("*")) if p.is_file()} if previous.is_dir() else {}
    try:
        before = {path: _all(fd) for path, fd in held.items()}
        whole = tree(previous) if since is not None else {}
        summary = build(source, out, cache=True, since=since, **options)
        written = sorted(path for path, fd in held.items() if _all(fd) != before[path])
    finally:
        for fd in held.values():
            os.close(fd)
    if since is not None:
        written += [f"{since.name}/{path}" for path in differences(whole, tree(since))]
    return summary, written


def _all(fd: int) -> bytes:
    return os.pread(fd, os.fstat(fd).st_size + 1, 0)


def run_steps(tmp_path: Path, seed: int, steps: int, *, search: bool = False, drafts: bool = False,
              own_folders: bool = False) -> int:
    """Random steps; returns how many were incremental builds. With `own_folders`, each build
    goes into a new folder and is given the last as `since` (serve's way)."""
    c = make_community(tmp_path / "community", seed, drafts=drafts)
    options = {"search": search, "drafts": drafts}
    clean = tmp_path / "clean"
    site = tmp_path / ("site-0" if own_folders else "site")
    build(c.root, site, cache=True, **options)
    incremental = 0
    for n in range(steps):
        if c.rng.random() < 0.1 and not own_folders:
            broken_edit(c, site, f"seed {seed} step {n}: a broken profile", **options)
        step = random_step(c)
        where = f"seed {seed} step {n}: {step.what}"
        if own_folders:
            previous, site = site, tmp_path / f"site-{n + 1}"
            summary, written = cached_build(c.root, site, since=previous, **options)
            writer.remove_tree(previous)
        else:
            summary, written = cached_build(c.root, site, **options)
        build(c.root, clean, jobs=1, **options)
        assert differences(tree(site), tree(clean)) == [], where
        assert written == [], where
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["community", "clean", site.name]), where
        if step.full:
            assert summary.incremental is None, where
        else:
            assert summary.incremental is not None, where
            incremental += 1
    return incremental


def test_after_every_random_edit_a_cached_build_equals_a_clean_one(tmp_path: Path) -> None:
    assert run_steps(tmp_path, 7, 20) >= 10  # most steps really took the incremental path


def test_with_drafts_built_a_cached_build_equals_a_clean_one(tmp_path: Path) -> None:
    assert run_steps(tmp_path, 10, 12, drafts=True) >= 6


def test_building_each_time_into_a_new_folder_since_the_last_equals_a_clean_build(tmp_path: Path) -> None:
    assert run_steps(tmp_path, 4, 10, own_folders=True) >= 5


def test_with_search_a_cached_build_equals_a_clean_one_index_included(tmp_path: Path) -> None:
    require_pagefind()
    assert run_steps(tmp_path, 1, 6, search=True) >= 3


def require_pagefind() -> None:
    from generator.search import pagefind_binary

    try:
        pagefind_binary()
    except ConnectoryError as exc:
        require(False, str(exc))


# --- focused tests ------------------------------------------------------------------------------


@pytest.fixture
def small(tmp_path: Path) -> Community:
    return make_community(tmp_path / "community", 11, size=12)


def snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file by path with its inode and bytes, and the folders."""
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, b"" if p.is_dir() else p.read_bytes())
            for p in sorted(folder.rglob("*"))}


def test_a_failed_check_after_an_edit_leaves_the_previous_site_as_it_was(small: Community) -> None:
    site = small.root.parent / "site"
    build(small.root, site, cache=True, search=False)
    folder, before = site.stat().st_ino, snapshot(site)
    small.profiles["ada"]["connections"] = ["nobody-here"]
    small.write("ada")
    with pytest.raises(CheckFailed):
        build(small.root, site, cache=True, search=False)
    assert site.stat().st_ino == folder and snapshot(site) == before
    assert sorted(p.name for p in site.parent.iterdir()) == ["community", "site"]


def test_a_build_failing_while_it_writes_leaves_the_previous_site_as_it_was(
        small: Community, monkeypatch: pytest.MonkeyPatch) -> None:
    site = small.root.parent / "site"
    build(small.root, site, cache=True, search=False)
    folder, before = site.stat().st_ino, snapshot(site)
    small.profiles["bea"]["headline"] = "A new headline"  # shown on others' pages: many files to write
    small.write("bea")
    real, calls = writer.write_file, [0]

    def failing(*args: Any, **kwargs: Any) -> None:
        calls[0] += 1
        if calls[0] > 3:
            raise OSError(28, "No space left on device")
        real(*args, **kwargs)

    monkeypatch.setattr(writer, "write_file", failing)
    with pytest.raises(OSError):
        build(small.root, site, cache=True, search=False, jobs=1)
    assert calls[0] > 3  # it had written some of the new pages when it failed
    assert site.stat().st_ino == folder and snapshot(site) == before
    assert sorted(p.name for p in site.parent.iterdir()) == ["community", "site"]
    monkeypatch.setattr(writer, "write_file", real)
    again = build(small.root, site, cache=True, search=False)  # and the next build is still right
    build(small.root, site.parent / "clean", jobs=1, search=False)
    assert again.incremental is not None
    assert differences(tree(site), tree(site.parent / "clean")) == []


def test_an_incremental_build_keeps_the_previous_files_and_writes_into_none_of_them(small: Community) -> None:
    site = small.root.parent / "site"
    build(small.root, site, cache=True, search=False)
    before = inodes(site)
    small.profiles["cyd"]["bio"] = "Only my bio changed."
    small.write("cyd")
    summary, written = cached_build(small.root, site, search=False)
    assert summary.incremental is not None and summary.incremental["members"] == 1
    assert written == []  # every file the previous site had still holds the bytes it had
    after = inodes(site)
    kept = {path for path in before.keys() & after.keys() if before[path] == after[path]}
    avatar = next(path for path in before if path.startswith("avatars/cyd."))
    assert "members/cyd/index.html" not in kept
    assert {"members/ada/index.html", "members/ada/introductions/index.html", avatar} <= kept
    assert "Only my bio changed." in (site / "members" / "cyd" / "index.html").read_text(encoding="utf-8")


def test_a_build_since_the_last_folder_links_its_files_and_leaves_it_as_it_was(small: Community) -> None:
    first, second = small.root.parent / "first", small.root.parent / "second"
    build(small.root, first, cache=True, search=False)
    small.profiles["cyd"]["bio"] = "Only my bio changed."
    small.write("cyd")
    summary, written = cached_build(small.root, second, since=first, search=False)
    assert summary.incremental is not None and written == []
    assert inodes(first)["members/ada/index.html"] == inodes(second)["members/ada/index.html"]
    assert inodes(first)["members/cyd/index.html"] != inodes(second)["members/cyd/index.html"]


def test_the_search_index_is_kept_when_only_a_connection_changed(small: Community) -> None:
    require_pagefind()
    site = small.root.parent / "site"
    build(small.root, site, cache=True, search=True)
    index = inodes(site / INDEX_FOLDER)
    add_connection(small.rng, small.profiles["dov"], "dov", [h for h in small.profiles if h != "dov"])
    small.write("dov")
    summary = build(small.root, site, cache=True, search=True)
    assert summary.incremental is not None and summary.incremental["reindex"] is False
    assert inodes(site / INDEX_FOLDER) == index


def test_the_search_index_is_built_again_when_a_bio_changed(small: Community) -> None:
    require_pagefind()
    site = small.root.parent / "site"
    build(small.root, site, cache=True, search=True)
    entry = (site / INDEX_FOLDER / "pagefind-entry.json").read_bytes()
    small.profiles["dov"]["bio"] = "Searchable zanzibarian words."
    small.write("dov")
    summary = build(small.root, site, cache=True, search=True)
    build(small.root, site.parent / "clean", jobs=1, search=True)
    assert summary.incremental is not None and summary.incremental["reindex"] is True
    assert (site / INDEX_FOLDER / "pagefind-entry.json").read_bytes() != entry
    assert differences(tree(site), tree(site.parent / "clean")) == []


def test_after_a_bio_edit_the_other_members_fragment_files_are_reused(small: Community,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import search

    require_pagefind()
    site = small.root.parent / "site"
    build(small.root, site, cache=True, search=True)
    linked: list[dict[str, int]] = []
    kept: list[bool] = []
    link, prune = search.link_fragments, search.prune_linked
    monkeypatch.setattr(search, "link_fragments", lambda reuse, bundle: linked.append(link(reuse, bundle)) or linked[-1])
    monkeypatch.setattr(search, "prune_linked", lambda bundle, names: kept.append(prune(bundle, names)) or kept[-1])
    small.profiles["dov"]["bio"] = "Searchable zanzibarian words."
    small.write("dov")
    build(small.root, site, cache=True, search=True)
    handles = sorted(small.profiles)
    assert len(linked) == 1 and sorted(linked[0].values()) == [n for n, h in enumerate(handles) if h != "dov"]
    assert kept == [True]  # used as linked: Pagefind did not have to write the bundle whole again


def test_clean_builds_everything_even_after_a_small_edit(small: Community) -> None:
    site = small.root.parent / "site"
    build(small.root, site, cache=True, search=False)
    small.profiles["eve"]["bio"] = "Edited."
    small.write("eve")
    assert build(small.root, site, cache=True, search=False, clean=True).incremental is None


def test_serve_s_rebuilds_link_from_the_last_build_and_equal_a_clean_build(small: Community) -> None:
    from generator.serve import site_build

    run = site_build(small.root)
    first, second = small.root.parent / "site-1", small.root.parent / "site-2"
    run(first)
    before = tree(first)
    small.profiles["cyd"]["headline"] = "Served fresh"
    small.write("cyd")
    run(second)
    build(small.root, small.root.parent / "clean", jobs=1, search=False)
    assert differences(tree(second), tree(small.root.parent / "clean")) == []
    assert tree(first) == before
    old, new = inodes(first), inodes(second)
    linked = {path for path in new if old.get(path) == new[path]}
    assert linked and "members/cyd/index.html" not in linked  # the pages the edit cannot show were linked
