"""The compiled schema check may only ever say "valid" where the full validator says so too."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.content import Document
from generator.schema import _validator, certainly_valid, schema_problems, schema_text

PROFILE = json.loads(schema_text())
KEYS = list(PROFILE["properties"])

# Text that leans on what regex engines read differently: controls, odd spaces, newlines at the end.
plain = st.sampled_from(["ada", "grace-hopper", "https://x.org/a", "2019", "2019-05", "a@b.cd", "@a@b.cd"])
tricky_text = st.one_of(
    plain, plain, plain, plain,
    st.text(max_size=12),
    st.text(alphabet="ab-1 \n\t\x1c\x1f\x85\xa0\u2028\ufeff@./:", max_size=10),
    st.sampled_from(["ada", "ada\n", "https://x.org", "https://x.org\n", "@a@b.cd", "2019", "2019-05\n",
                     "a@b.cd", "", " ", "\x85", "\x1c", "close", "😀" * 61]),
)
anything = st.recursive(
    st.one_of(tricky_text, st.integers(min_value=-10, max_value=10_000), st.just(10**30), st.floats(allow_nan=False),
              st.booleans(), st.none()),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(tricky_text, inner, max_size=3)),
    max_leaves=6)


def shaped(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Mostly the right shape (so that many profiles are valid), now and then anything at all."""
    return st.one_of(strategy, strategy, strategy, anything)


topics = st.lists(shaped(tricky_text), max_size=3)
helps = st.lists(shaped(st.one_of(tricky_text, st.fixed_dictionaries(
    {"topic": tricky_text}, optional={"detail": tricky_text}))), max_size=3)
when = st.one_of(st.integers(min_value=900, max_value=10_001), st.just(2019.0), tricky_text)
connection = st.fixed_dictionaries({"handle": tricky_text}, optional={
    "context": tricky_text, "strength": st.sampled_from(["close", "regular", "acquaintance", "Close"]),
    "since": when, "last_met": when})
FIELDS: dict[str, st.SearchStrategy[Any]] = {
    **{key: tricky_text for key in ("handle", "pronouns", "headline", "location", "contact", "email", "avatar",
                                    "joined")},
    "fields": topics, "interests": topics, "open_to": topics, "offers": helps, "asks": helps,
    "connections": st.lists(shaped(st.one_of(tricky_text, connection)), max_size=3),
    "introductions": st.booleans(), "draft": st.booleans(),
    "links": st.dictionaries(st.sampled_from(["website", "github", "gitlab", "mastodon", "linkedin", "Blog", "x\n"]),
                             tricky_text, max_size=3),
}
profiles = st.fixed_dictionaries({"name": tricky_text}, optional={k: shaped(v) for k, v in FIELDS.items()})


@settings(max_examples=300, deadline=None)
@given(profiles)
def test_compiled_check_never_passes_what_the_full_validator_refuses(data: dict[str, Any]) -> None:
    if certainly_valid(data):
        assert _validator("profile").is_valid(data)


def test_a_control_character_that_only_python_reads_as_space_is_still_blank() -> None:
    doc = Document("content/members/ada.md", {"name": "\x85"}, {("name",): (2, 1)})
    assert [p.code for p in schema_problems(doc)] == ["bad-format"]


def test_a_valid_profile_has_no_schema_problems() -> None:
    data = {"name": "Ada", "connections": [{"handle": "grace", "since": 2019}], "links": {"github": "ada"}}
    assert certainly_valid(data)
    assert schema_problems(Document("content/members/ada.md", data)) == []
