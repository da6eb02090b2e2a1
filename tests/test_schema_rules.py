"""The profile schema (generator/profile.schema.json): each rule, with the file, line and field it reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from generator.community import load_community
from generator.errors import Problem
from generator.schema import schema_text

ADA = "content/members/ada.md"


def check(write_community, front: str, **others: str) -> list[Problem]:
    """Problems of ada.md (front matter given without the --- lines) in a community with `others`."""
    files = {ADA: f"---\n{front}---\nBio.\n"}
    files |= {f"content/members/{handle}.md": f"---\n{text}---\n" for handle, text in others.items()}
    return [p for p in load_community(write_community(files)).problems if p.file == ADA]


def only(found: list[Problem]) -> Problem:
    assert len(found) == 1, found
    return found[0]


def located(p: Problem) -> tuple[int, str, str]:
    return p.line, p.field, p.code


# The example profile of PRODUCT.md, as written there.
PRODUCT_EXAMPLE = """\
name: Ada Lovelace                 # required, 1..100 chars
handle: ada-lovelace               # optional; default = file name stem; must equal it if given
pronouns: she/her                  # optional
headline: Mathematician, writes about engines     # optional, <= 120 chars
location: London, UK               # optional
fields: [mathematics, computing]   # areas of work (topics)
interests: [poetry, music theory]  # topics
offers:                            # how I can help — a topic string, or {topic, detail}
  - topic: proof review
    detail: I read drafts within a week.
  - mentoring
asks:                              # what I am looking for — same forms as offers
  - topic: funding
connections:                       # members I know — a handle string, or a mapping
  - handle: charles-babbage
    context: We wrote the engine notes together.
    strength: close                # close | regular | acquaintance (default)
    since: 1833                    # year, YYYY-MM or YYYY-MM-DD
    last_met: 2026-10
  - mary-somerville
introductions: true                # I am willing to introduce my connections (default true)
open_to: [coffee chats, mentoring] # optional
links:                             # http(s) URLs; github/gitlab/mastodon/linkedin may be usernames
  website: https://example.org
  github: ada
contact: Message me on the community chat.   # optional, plain text
email: ada@example.org             # optional; never printed in clear text on the site
avatar: avatars/ada.jpg            # optional; png/jpeg/webp under content/, size-capped; no SVG
joined: 2026-03-14                 # optional date
draft: false                       # drafts are built only with --drafts
"""


def test_the_schema_file_is_valid_draft_2020_12():
    schema = json.loads(schema_text("profile"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("name", ["site", "page"])
def test_the_other_schema_files_are_valid_draft_2020_12(name):
    Draft202012Validator.check_schema(json.loads(schema_text(name)))


def test_the_product_example_passes_the_schema_alone():
    data = yaml.safe_load(PRODUCT_EXAMPLE)
    # As loaded by Connectory, dates stay text; PyYAML alone makes them date objects.
    data["joined"], data["connections"][0]["last_met"] = "2026-03-14", "2026-10"
    assert list(Draft202012Validator(json.loads(schema_text())).iter_errors(data)) == []


def test_the_product_example_passes_check(write_community):
    jpeg = b"\xff\xd8\xff\xc0\x00\x11\x08\x01\x90\x01\x90\x03" + b"\x00" * 20
    root = write_community({
        "content/members/ada-lovelace.md": f"---\n{PRODUCT_EXAMPLE}---\nFree Markdown bio.\n",
        "content/members/charles-babbage.md": "---\nname: Charles Babbage\nconnections: [ada-lovelace]\n---\n",
        "content/members/mary-somerville.md": "---\nname: Mary Somerville\nconnections: [ada-lovelace]\n---\n",
        "content/avatars/ada.jpg": jpeg,
    })
    assert load_community(root).problems == []


def test_name_is_required(write_community):
    p = only(check(write_community, "headline: Hi\n"))
    assert located(p) == (2, "name", "missing-field")


def test_an_unknown_key_suggests_the_close_one(write_community):
    p = only(check(write_community, "name: Ada\nintrests: [maths]\n"))
    assert located(p) == (3, "intrests", "unknown-key")
    assert p.hint == "did you mean `interests`?"


def test_an_unknown_key_with_capitals_suggests_the_field(write_community):
    p = only(check(write_community, "name: Ada\nOpen To: [chats]\n"))
    assert located(p) == (3, "Open To", "unknown-key")
    assert p.hint == "did you mean `open_to`?"


def test_an_unknown_key_with_no_close_field_lists_the_fields(write_community):
    p = only(check(write_community, "name: Ada\nlayout: profile\n"))
    assert located(p) == (3, "layout", "unknown-key")
    assert "the fields here are: name, handle" in p.hint


def test_a_bio_key_says_where_the_bio_goes(write_community):
    p = only(check(write_community, "name: Ada\nbio: I build engines.\n"))
    assert located(p) == (3, "bio", "unknown-key")
    assert "after the closing `---`" in p.hint


def test_an_unknown_key_in_a_connection_suggests_the_close_one(write_community):
    found = check(write_community, "name: Ada\nconnections:\n  - handle: bob\n    contxt: met at school\n",
                  bob="name: Bob\nconnections: [ada]\n")
    p = only(found)
    assert located(p) == (5, "connections.1.contxt", "unknown-key")
    assert p.hint == "did you mean `context`?"


def test_an_unknown_key_in_an_offer_suggests_the_close_one(write_community):
    p = only(check(write_community, "name: Ada\noffers:\n  - topic: maths\n    details: any time\n"))
    assert located(p) == (5, "offers.1.details", "unknown-key")
    assert p.hint == "did you mean `detail`?"


def test_a_link_name_with_capitals_is_unknown(write_community):
    p = only(check(write_community, "name: Ada\nlinks:\n  Website: https://example.org\n"))
    assert located(p) == (4, "links.Website", "unknown-key")
    assert "lowercase" in p.hint


def test_a_misspelt_username_link_suggests_the_service(write_community):
    p = only(check(write_community, "name: Ada\nlinks:\n  githbu: ada\n"))
    assert located(p) == (4, "links.githbu", "bad-format")
    assert "did you mean `github`?" in p.hint


@pytest.mark.parametrize(("field", "limit"), [("name", 100), ("headline", 120), ("location", 100),
                                              ("pronouns", 40), ("contact", 300)])
def test_text_fields_have_a_length_limit(write_community, field, limit):
    front = f"{field}: {'x' * limit}\n" + ("name: Ada\n" if field != "name" else "")
    assert check(write_community, front) == []
    front = f"{field}: {'x' * (limit + 1)}\n" + ("name: Ada\n" if field != "name" else "")
    p = only(check(write_community, front))
    assert located(p) == (2, field, "too-long")
    assert str(limit) in p.message


def test_a_length_counts_characters_not_bytes(write_community):
    assert check(write_community, f"name: {'é' * 100}\n") == []


def test_a_blank_name_is_an_error(write_community):
    p = only(check(write_community, 'name: "   "\n'))
    assert located(p) == (2, "name", "bad-format")


def test_an_empty_name_is_an_error(write_community):
    p = only(check(write_community, 'name: ""\n'))
    assert located(p) == (2, "name", "too-short")


def test_a_topic_has_a_length_limit(write_community):
    p = only(check(write_community, f"name: Ada\nfields:\n  - maths\n  - {'x' * 61}\n"))
    assert located(p) == (5, "fields.2", "too-long")


def test_an_offer_detail_has_a_length_limit(write_community):
    p = only(check(write_community, f"name: Ada\noffers:\n  - topic: maths\n    detail: {'x' * 301}\n"))
    assert located(p) == (5, "offers.1.detail", "too-long")


def test_a_connection_context_has_a_length_limit(write_community):
    found = check(write_community, f"name: Ada\nconnections:\n  - handle: bob\n    context: {'x' * 301}\n",
                  bob="name: Bob\nconnections: [ada]\n")
    assert located(only(found)) == (5, "connections.1.context", "too-long")


def test_a_topic_list_has_a_length_limit(write_community):
    topics = ", ".join(f"t{i}" for i in range(31))
    p = only(check(write_community, f"name: Ada\ninterests: [{topics}]\n"))
    assert located(p) == (3, "interests", "too-many")


def test_a_handle_has_a_length_limit(write_community):
    p = only(check(write_community, f"name: Ada\nconnections: [{'a' * 40}]\n"))
    assert (p.field, p.code) == ("connections.1", "too-long")


@pytest.mark.parametrize("url", ["https://example.org", "http://example.org/a?b=c#d"])
def test_http_and_https_links_are_accepted(write_community, url):
    assert check(write_community, f"name: Ada\nlinks:\n  website: {url}\n") == []


@pytest.mark.parametrize("url", ["ftp://example.org", "javascript:alert(1)", "example.org",
                                 "data:text/html,hi", "https://", "//example.org", "https://exa mple.org"])
def test_links_other_than_http_are_refused(write_community, url):
    p = only(check(write_community, f"name: Ada\nlinks:\n  website: '{url}'\n"))
    assert located(p) == (4, "links.website", "bad-format")
    assert "https://" in p.hint


@pytest.mark.parametrize("service", ["github", "gitlab", "linkedin"])
def test_username_services_take_a_username_or_a_url(write_community, service):
    assert check(write_community, f"name: Ada\nlinks:\n  {service}: ada-l\n") == []
    assert check(write_community, f"name: Ada\nlinks:\n  {service}: https://example.org/ada\n") == []
    p = only(check(write_community, f"name: Ada\nlinks:\n  {service}: 'javascript:alert(1)'\n"))
    assert located(p) == (4, f"links.{service}", "bad-format")


def test_mastodon_takes_an_address_or_a_url(write_community):
    assert check(write_community, "name: Ada\nlinks:\n  mastodon: '@ada@example.social'\n") == []
    p = only(check(write_community, "name: Ada\nlinks:\n  mastodon: ada\n"))
    assert located(p) == (4, "links.mastodon", "bad-format")
    assert "Mastodon" in p.message


def test_an_email_must_look_like_one(write_community):
    p = only(check(write_community, "name: Ada\nemail: ada.example.org\n"))
    assert located(p) == (3, "email", "bad-format")


@pytest.mark.parametrize("joined", ["2026-3-14", "14/03/2026", "2026-03", "2026-03-14 10:00"])
def test_joined_must_be_yyyy_mm_dd(write_community, joined):
    p = only(check(write_community, f"name: Ada\njoined: {joined}\n"))
    assert located(p) == (3, "joined", "bad-format")


@pytest.mark.parametrize("since", ["1999", "1999-05", "1999-05-21", "'1999'"])
def test_since_takes_a_year_a_month_or_a_day(write_community, since):
    found = check(write_community, f"name: Ada\nconnections:\n  - handle: bob\n    since: {since}\n",
                  bob="name: Bob\nconnections: [ada]\n")
    assert found == []


@pytest.mark.parametrize(("since", "code"), [("1999-5", "bad-format"), ("May 1999", "bad-format"),
                                             ("99", "out-of-range"), ("true", "wrong-type"),
                                             ("1999.5", "wrong-type")])
def test_since_in_another_form_is_an_error(write_community, since, code):
    found = check(write_community, f"name: Ada\nconnections:\n  - handle: bob\n    since: {since}\n",
                  bob="name: Bob\nconnections: [ada]\n")
    assert located(only(found)) == (5, "connections.1.since", code)


def test_strength_is_one_of_three(write_community):
    found = check(write_community, "name: Ada\nconnections:\n  - handle: bob\n    strength: best\n",
                  bob="name: Bob\nconnections: [ada]\n")
    p = only(found)
    assert located(p) == (5, "connections.1.strength", "bad-choice")
    assert "close, regular, acquaintance" in p.message


def test_a_connection_mapping_needs_a_handle(write_community):
    p = only(check(write_community, "name: Ada\nconnections:\n  - context: school\n"))
    assert located(p) == (4, "connections.1.handle", "missing-field")


def test_a_connection_that_is_not_a_handle_says_what_it_should_be(write_community):
    p = only(check(write_community, "name: Ada\nconnections:\n  - 42\n"))
    assert located(p) == (4, "connections.1", "wrong-type")
    assert "a handle, or a mapping" in p.message


def test_a_connection_written_as_a_name_is_a_bad_handle(write_community):
    p = only(check(write_community, "name: Ada\nconnections:\n  - Bob Smith\n", bob="name: Bob\n"))
    assert located(p) == (4, "connections.1", "bad-format")


def test_a_handle_field_must_be_a_valid_handle(write_community):
    p = only(check(write_community, "name: Ada\nhandle: Ada_L\n"))
    assert located(p) == (3, "handle", "bad-format")


def test_yes_no_read_as_a_boolean_is_not_a_name(write_community):
    p = only(check(write_community, "name: no\n"))
    assert located(p) == (2, "name", "wrong-type")
    assert "yes/no" in p.message and 'name: "..."' in p.hint


def test_a_leading_zero_number_is_not_a_name_and_not_misquoted(write_community):
    p = only(check(write_community, "name: 0123\n"))
    assert located(p) == (2, "name", "wrong-type")
    assert "83" not in p.message + p.hint  # what YAML 1.1 makes of 0123


def test_a_time_is_not_a_headline(write_community):
    p = only(check(write_community, "name: Ada\nheadline: 12:30\n"))
    assert located(p) == (3, "headline", "wrong-type")


def test_a_topic_list_given_as_text_suggests_a_list(write_community):
    p = only(check(write_community, "name: Ada\nfields: maths\n"))
    assert located(p) == (3, "fields", "wrong-type")
    assert "`fields: [maths]`" in p.hint


def test_introductions_is_true_or_false(write_community):
    assert check(write_community, "name: Ada\nintroductions: no\n") == []
    p = only(check(write_community, "name: Ada\nintroductions: 'no'\n"))
    assert located(p) == (3, "introductions", "wrong-type")


def test_a_number_in_a_topic_list_is_an_error_on_its_item(write_community):
    p = only(check(write_community, "name: Ada\ninterests:\n  - chess\n  - 1984\n"))
    assert located(p) == (5, "interests.2", "wrong-type")
    assert '- "..."' in p.hint


def test_every_schema_problem_is_reported_at_once(write_community):
    found = check(write_community, "name: Ada\nhedline: x\nfields: maths\nemail: nope\n")
    assert [(p.line, p.code) for p in found] == [(3, "unknown-key"), (4, "wrong-type"), (5, "bad-format")]


def test_the_example_profile_keys_are_exactly_the_schema_keys():
    keys = list(yaml.safe_load(PRODUCT_EXAMPLE))
    assert keys == list(json.loads(schema_text())["properties"])


def test_problems_name_the_file_relative_to_the_community(write_community, tmp_path: Path):
    p = only(check(write_community, "headline: Hi\n"))
    assert p.file == ADA and not Path(p.file).is_absolute()


def test_a_misspelt_required_key_is_one_problem_not_two(write_community):
    p = only(check(write_community, "nmae: Ada\n"))
    assert located(p) == (2, "nmae", "unknown-key")
    assert p.hint == "did you mean `name`?"


def test_a_misspelt_connection_handle_key_is_one_problem(write_community):
    p = only(check(write_community, "name: Ada\nconnections:\n  - hande: bob\n", bob="name: Bob\n"))
    assert located(p) == (4, "connections.1.hande", "unknown-key")
