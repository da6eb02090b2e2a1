"""The resource limits: each over-the-cap file gets an error that states the cap, and the
README's Limits table states the numbers the code enforces."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest

from generator.community import load_community
from generator.content import MAX_DEPTH, MAX_FILE_BYTES, MAX_FRONT_MATTER_BYTES, MAX_SCALAR_CHARS
from generator.images import MAX_AVATAR_BYTES, MAX_AVATAR_PIXELS, MAX_AVATAR_SIDE
from generator.schema import schema_text
from generator.validate import MAX_BIO_BRACKETS, MAX_BIO_CHARS, MAX_BIO_NESTING, MAX_HANDLE
from hostile_helpers import hostile_community, member_rel

ROOT = Path(__file__).resolve().parent.parent

# hostile file -> (error code, the cap as its message states it)
OVER_THE_CAP = {
    "dos-huge-file.md": ("file-too-large", f"{MAX_FILE_BYTES // 1024} KiB"),
    "dos-huge-front-matter.md": ("front-matter-too-large", f"{MAX_FRONT_MATTER_BYTES // 1024} KiB"),
    "dos-deep-block.md": ("too-deep", f"{MAX_DEPTH} levels"),
    "dos-huge-scalar.md": ("value-too-long", f"{MAX_SCALAR_CHARS} characters"),
    "dos-long-name.md": ("too-long", "at most 100"),
    "dos-many-topics.md": ("too-many", "at most 30"),
    "dos-many-connections.md": ("too-many", "at most 300"),
    "dos-many-links.md": ("too-many", "at most 12"),
    "dos-bio-too-long.md": ("bio-too-long", f"at most {MAX_BIO_CHARS:,}"),
    "dos-bio-brackets.md": ("bio-too-complex", f"at most {MAX_BIO_BRACKETS}"),
    "dos-bio-nested-list-markers.md": ("bio-too-deep", f"at most {MAX_BIO_NESTING}"),
    "dos-avatar-oversize.md": ("avatar-too-large", f"at most {MAX_AVATAR_BYTES // 1024} KiB"),
    "dos-avatar-png-bomb.md": ("avatar-dimensions", f"at most {MAX_AVATAR_SIDE} a side"),
}


@pytest.mark.parametrize("name", sorted(OVER_THE_CAP))
def test_going_over_a_cap_is_an_error_that_states_the_cap(tmp_path, name):
    code, cap = OVER_THE_CAP[name]
    loaded = load_community(hostile_community(tmp_path, [name]))
    found = [p for p in loaded.errors if p.file == member_rel(name)]
    assert [p.code for p in found] == [code]
    assert cap in found[0].message, found[0].message


@cache
def limits_section() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.search(r"^## Limits\n(.*?)(?=^## |\Z)", readme, re.M | re.S).group(1)  # type: ignore[union-attr]


def _schema_max(*path: str) -> int:
    node = json.loads(schema_text())
    for key in path:
        node = node[key]
    return node


README_CELLS = {
    "file": f"| {MAX_FILE_BYTES // 1024} KiB |",
    "front matter": f"| {MAX_FRONT_MATTER_BYTES // 1024} KiB |",
    "depth": f"| {MAX_DEPTH} levels |",
    "value": f"| {MAX_SCALAR_CHARS:,} characters |",
    "name, headline, pronouns, location": " · ".join(str(_schema_max("properties", k, "maxLength"))
                                                     for k in ("name", "headline", "pronouns", "location")),
    "contact, detail, context": f"| {_schema_max('properties', 'contact', 'maxLength')} characters each |",
    "topic": f"| {_schema_max('$defs', 'topic', 'maxLength')} characters |",
    "topic lists": f"| {_schema_max('$defs', 'topics', 'maxItems')} items each |",
    "connections": f"| {_schema_max('properties', 'connections', 'maxItems')} |",
    "links": f"| {_schema_max('properties', 'links', 'maxProperties')} · "
             f"{_schema_max('$defs', 'url', 'maxLength')} characters |",
    "email, avatar": f"| {_schema_max('properties', 'email', 'maxLength')} · "
                     f"{_schema_max('properties', 'avatar', 'maxLength')} characters |",
    "handle": f"| {MAX_HANDLE} characters",
    "bio": f"| {MAX_BIO_CHARS:,} characters |",
    "brackets": f"| {MAX_BIO_BRACKETS} |",
    "bio nesting": f"| {MAX_BIO_NESTING} levels |",
    "avatar bytes": f"| {MAX_AVATAR_BYTES // 1024} KiB |",
    "avatar pixels": f"| {MAX_AVATAR_SIDE:,} pixels a side, {MAX_AVATAR_PIXELS // 1_000_000} million pixels |",
}


@pytest.mark.parametrize("what", sorted(README_CELLS))
def test_the_readme_states_the_cap_the_code_enforces(what):
    assert README_CELLS[what] in limits_section()
