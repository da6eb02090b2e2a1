"""Property-based fuzzing of the loader, the validator and the bio renderer (hypothesis).

Whatever a profile holds, loading and checking it ends in a clean result or in problems that
name the file and a line: never an exception, never a hang. Each example runs under a time
limit, so a pathological input fails the test instead of stalling the suite.

The default number of examples keeps this file to a few seconds and is derandomised, so CI
always runs the same examples; set CONNECTORY_FUZZ_EXAMPLES=5000 to explore with fresh ones.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.community import load_community
from generator.content import Document
from generator.markup import to_html
from generator.report import FORMATS
from generator.validate import _bio_problems
from hostile_helpers import HOSTILE, time_limit

EXPLORE = int(os.environ.get("CONNECTORY_FUZZ_EXAMPLES", "0"))
FUZZ = settings(max_examples=EXPLORE or 40, derandomize=not EXPLORE, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
LIMIT_S = 10  # per example; the slowest hostile file checks in well under a second
REL = "content/members/fuzz.md"


@pytest.fixture(scope="module")
def community(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile suite's three well-behaved members; each example writes content/members/fuzz.md."""
    import shutil

    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(HOSTILE / "base", root, dirs_exist_ok=True)
    return root


def assert_loads_cleanly(root: Path, data: bytes) -> None:
    """Load the community with fuzz.md holding `data`: problems or a member, never an exception."""
    (root / REL).write_bytes(data)
    with time_limit(LIMIT_S):
        loaded = load_community(root, drafts=True)
        for render in FORMATS.values():
            render(loaded.problems)
    mine = [p for p in loaded.problems if p.file == REL]
    assert all(p.line >= 1 and p.code and p.severity in ("error", "warning") for p in mine), mine
    published = "fuzz" in loaded.community.by_handle or any(m.handle == "fuzz" for m in loaded.drafts)
    assert published == (not any(p.severity == "error" for p in mine)), mine


# --- any bytes -----------------------------------------------------------------------------------

@FUZZ
@given(st.binary(max_size=2048))
def test_any_bytes_load_as_problems_or_a_member(community, data):
    assert_loads_cleanly(community, data)


@FUZZ
@given(st.binary(max_size=512))
def test_any_bytes_after_a_front_matter_fence(community, data):
    assert_loads_cleanly(community, b"---\n" + data + b"\n---\n")


# --- YAML-ish text: the tokens that trip YAML up, in any order -------------------------------------

KEYS = ["name", "handle", "headline", "fields", "offers", "connections", "links", "email", "avatar",
        "joined", "introductions", "draft", "layout", "<<", "? ", "nmae", "0", "~", "-"]
TOKENS = ["no", "yes", "on", "~", "null", "0123", "0x1F", "1e3", "1_000", ".inf", ".nan", "2024-02-30",
          "2024-01-01 10:00:00", "12:30:00", "&a ", "*a", "!!python/object/apply:os.system ['x']",
          "!!binary aGk=", "!", "'", '"', '"\\e\\0\\N\\ud800"', "[", "]", "{", "}", ",", ": ", ":", "- ",
          "? ", "#", "|", ">", "|-", "%YAML 1.1", "---", "...", "\t", " ", "  ", "\n", "\n  ", "\n- ",
          "ada-lovelace", "javascript:alert(1)", "https://example.org", "a@b.c", "avatars/x.png",
          "../../etc/passwd", "\u202e", "\u200b", "\ufeff", "\x85", "\r", "Ada", "é", "日本"]


@st.composite
def yamlish(draw: st.DrawFn) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 12))):
        indent = " " * draw(st.sampled_from([0, 0, 0, 2, 4, 1]))
        key = draw(st.sampled_from(KEYS))
        value = "".join(draw(st.lists(st.sampled_from(TOKENS), max_size=6)))
        lines.append(f"{indent}{key}: {value}")
    return "\n".join(lines)


@FUZZ
@given(yamlish(), st.text(max_size=200))
def test_yamlish_front_matter_loads_as_problems_or_a_member(community, front, bio):
    text = "---\n" + front + "\n---\n" + bio
    assert_loads_cleanly(community, text.encode("utf-8", "surrogatepass"))


# --- well-formed YAML of any shape: the rules must cope with values of the wrong type ------------

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                    st.text(max_size=30), st.sampled_from(["ada-lovelace", "grace-hopper", "close", "2019-05",
                                                           "https://example.org/", "avatars/x.png", ""]))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(KEYS + ["topic", "detail", "context",
                                                                         "strength", "since"]), inner, max_size=4)),
    max_leaves=12)
PROFILE_KEYS = ["name", "handle", "pronouns", "headline", "location", "fields", "interests", "offers", "asks",
                "connections", "introductions", "open_to", "links", "contact", "email", "avatar", "joined",
                "draft", "unknown"]


@FUZZ
@given(st.dictionaries(st.sampled_from(PROFILE_KEYS), VALUES, max_size=8))
def test_any_shape_of_fields_loads_as_problems_or_a_member(community, data):
    front = yaml.safe_dump(data, allow_unicode=True) if data else ""
    text = "---\n" + front + "---\nBio.\n"
    assert_loads_cleanly(community, text.encode("utf-8", "surrogatepass"))


# --- bios the validator accepts render, in bounded time ---------------------------------------------

MARKDOWN = ["[", "]", "(", ")", "![", "<", ">", "</", "*", "_", "`", "```", "~~", "#", "- ", "+ ", "1. ", "> ",
            "|", "---", "\n", "\n\n", "  ", "    ", "\t", "&", "&#", ";", "\\", "http://", "www.", "@", ":",
            "javascript:", "<script>", "<img src=x onerror=alert(1)>", "<a href='", "'>", '"', "=", "a", "word ",
            "{: onclick=x }", "<div markdown=1>", "<!--", "-->", "<svg>", "<math>", "\u202e", "é"]


@FUZZ
@given(st.lists(st.sampled_from(MARKDOWN), max_size=400))
def test_a_bio_the_validator_accepts_renders_without_error(tokens):
    bio = "".join(tokens)
    if _bio_problems(Document(REL, {}, body=bio, body_line=4)):
        return
    with time_limit(LIMIT_S):
        html = to_html(bio)
    assert "<script" not in html.lower()
