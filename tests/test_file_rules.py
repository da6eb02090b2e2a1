"""Rules of one profile beyond the schema: file name, dates, avatar, lists, hidden characters."""

from __future__ import annotations

import struct

import pytest

from generator.community import load_community
from generator.errors import Problem
from generator.images import MAX_AVATAR_BYTES
from generator.validate import MAX_BIO_CHARS

ADA = "content/members/ada.md"
BOB = "content/members/bob.md"
BOB_KNOWS_ADA = "---\nname: Bob\nconnections: [ada]\n---\n"


def problems_of(write_community, files: dict[str, str | bytes]) -> list[Problem]:
    return load_community(write_community(files)).problems


def ada(write_community, front: str, **files: str | bytes) -> list[Problem]:
    """Problems of ada.md (front matter without the --- lines) next to bob.md, who lists ada."""
    found = problems_of(write_community, {ADA: f"---\n{front}---\nBio.\n", BOB: BOB_KNOWS_ADA, **files})
    return [p for p in found if p.file == ADA]


def only(found: list[Problem]) -> Problem:
    assert len(found) == 1, found
    return found[0]


def located(p: Problem) -> tuple[int, str, str]:
    return p.line, p.field, p.code


def png(width: int = 400, height: int = 400) -> bytes:
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + struct.pack(">II", width, height) + b"\x08\x02\x00\x00\x00" * 4


def jpeg(width: int = 400, height: int = 400) -> bytes:
    app0 = b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return b"\xff\xd8" + app0 + b"\xff\xc0\x00\x11\x08" + struct.pack(">HH", height, width) + b"\x03" + b"\x00" * 20


def webp(width: int = 400, height: int = 400) -> bytes:
    size = (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    return b"RIFF\x20\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00\x00\x00\x00\x00" + size + b"\x00" * 8


# handle and file name


@pytest.mark.parametrize("stem", ["Ada", "ada_l", "ada--l", "-ada", "ada.l", "a" * 40, "con", "ada l"])
def test_a_file_name_that_is_not_a_handle_is_an_error(write_community, stem):
    rel = f"content/members/{stem}.md"
    p = only(problems_of(write_community, {rel: "---\nname: Ada\n---\n"}))
    assert (p.file, p.line, p.field, p.code) == (rel, 1, "handle", "bad-file-name")


def test_the_handle_field_must_equal_the_file_name(write_community):
    p = only(ada(write_community, "name: Ada\nhandle: ada-lovelace\n"))
    assert located(p) == (3, "handle", "handle-mismatch")
    assert "ada-lovelace.md" in p.hint


def test_a_handle_field_equal_to_the_file_name_is_fine(write_community):
    assert ada(write_community, "name: Ada\nhandle: ada\n") == []


def test_a_bad_file_name_and_a_schema_error_are_reported_together(write_community):
    rel = "content/members/Ada.md"
    found = problems_of(write_community, {rel: "---\nname: Ada\nnmae: x\n---\n"})
    assert [(p.file, p.line, p.code) for p in found] == [(rel, 1, "bad-file-name"), (rel, 3, "unknown-key")]


# dates


@pytest.mark.parametrize("joined", ["2026-02-30", "2026-13-01", "2025-02-29", "0000-01-01"])
def test_an_impossible_joined_date_is_an_error(write_community, joined):
    p = only(ada(write_community, f"name: Ada\njoined: {joined}\n"))
    assert located(p) == (3, "joined", "bad-date")


def test_a_leap_day_is_a_real_date(write_community):
    assert ada(write_community, "name: Ada\njoined: 2024-02-29\n") == []


@pytest.mark.parametrize(("key", "value"), [("since", "2019-13"), ("last_met", "2019-04-31"), ("since", "0000")])
def test_an_impossible_connection_date_is_an_error(write_community, key, value):
    found = ada(write_community, f"name: Ada\nconnections:\n  - handle: bob\n    {key}: '{value}'\n")
    assert located(only(found)) == (5, f"connections.1.{key}", "bad-date")


def test_last_met_before_since_is_an_error(write_community):
    found = ada(write_community, "name: Ada\nconnections:\n  - handle: bob\n    since: 2019-05\n"
                                 "    last_met: 2018\n")
    assert located(only(found)) == (6, "connections.1.last_met", "dates-reversed")


def test_dates_of_different_precision_in_the_same_year_are_not_reversed(write_community):
    found = ada(write_community, "name: Ada\nconnections:\n  - handle: bob\n    since: 2019-05\n"
                                 "    last_met: 2019\n")
    assert found == []


# connections within one profile


def test_a_connection_to_oneself_is_an_error(write_community):
    p = only(ada(write_community, "name: Ada\nconnections: [bob, ada]\n"))
    assert located(p) == (3, "connections.2", "self-connection")


def test_the_same_connection_twice_is_an_error_on_the_second(write_community):
    p = only(ada(write_community, "name: Ada\nconnections:\n  - bob\n  - handle: bob\n    context: x\n"))
    assert located(p) == (5, "connections.2", "duplicate-connection")
    assert "item 1" in p.message


# topics


def test_the_same_topic_twice_is_a_warning(write_community):
    p = only(ada(write_community, "name: Ada\nfields:\n  - Machine  Learning\n  - machine learning\n"))
    assert located(p) == (5, "fields.2", "duplicate-topic")
    assert p.severity == "warning"


def test_the_same_topic_through_an_alias_is_a_warning(write_community):
    found = ada(write_community, "name: Ada\noffers:\n  - ML\n  - topic: machine learning\n",
                **{"content/site.yaml": "aliases:\n  ml: machine learning\n"})
    assert located(only(found)) == (5, "offers.2", "duplicate-topic")


# hidden characters


def test_an_escaped_control_character_is_an_error(write_community):
    p = only(ada(write_community, 'name: "Ada\\e[2J"\n'))
    assert located(p) == (2, "name", "control-character")


def test_a_control_character_in_a_nested_value_is_an_error(write_community):
    p = only(ada(write_community, 'name: Ada\noffers:\n  - topic: maths\n    detail: "a\\x07b"\n'))
    assert located(p) == (5, "offers.1.detail", "control-character")


def test_text_direction_characters_in_a_name_are_an_error(write_community):
    p = only(ada(write_community, 'name: "Ada \\u202eecalevoL"\n'))
    assert located(p) == (2, "name", "invisible-characters")


def test_a_right_to_left_name_is_fine(write_community):
    assert ada(write_community, "name: نور الهدى\nheadline: מהנדסת תוכנה\n") == []


# bio


def test_a_bio_over_the_limit_is_an_error_on_its_first_line(write_community):
    root = write_community({ADA: "---\nname: Ada\n---\n" + "word " * (MAX_BIO_CHARS // 5 + 1)})
    p = only(load_community(root).problems)
    assert (p.file, p.line, p.field, p.code) == (ADA, 4, "bio", "bio-too-long")


# avatar


@pytest.mark.parametrize(("name", "data"), [("a.png", png()), ("a.jpg", jpeg()), ("a.webp", webp()),
                                            ("a.jpg", png())])
def test_a_png_jpeg_or_webp_avatar_is_accepted_by_its_bytes(write_community, name, data):
    assert ada(write_community, f"name: Ada\navatar: avatars/{name}\n",
               **{f"content/avatars/{name}": data}) == []


@pytest.mark.parametrize(("name", "data"), [
    ("a.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    ("a.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>'),
    ("a.gif", b"GIF89a\x01\x00\x01\x00"),
    ("a.png", b"\x89PNG\r\n"),
])
def test_an_avatar_that_is_not_png_jpeg_or_webp_by_its_bytes_is_an_error(write_community, name, data):
    p = only(ada(write_community, f"name: Ada\navatar: avatars/{name}\n", **{f"content/avatars/{name}": data}))
    assert located(p) == (3, "avatar", "avatar-format")


def test_a_missing_avatar_is_an_error(write_community):
    p = only(ada(write_community, "name: Ada\navatar: avatars/nope.png\n"))
    assert located(p) == (3, "avatar", "avatar-missing")


def test_an_avatar_that_is_a_folder_is_missing(write_community):
    found = ada(write_community, "name: Ada\navatar: avatars\n", **{"content/avatars/x.png": png()})
    assert located(only(found)) == (3, "avatar", "avatar-missing")


@pytest.mark.parametrize("path", ["../secret.png", "/etc/passwd", "avatars/../../secret.png",
                                  "avatars\\\\a.png", "https://example.org/a.png", "file:///etc/passwd"])
def test_an_avatar_outside_content_is_an_error(write_community, path):
    found = ada(write_community, f"name: Ada\navatar: '{path}'\n", **{"secret.png": png()})
    assert located(only(found)) == (3, "avatar", "avatar-outside")


def test_an_avatar_symlinked_outside_content_is_an_error(write_community, tmp_path):
    root = write_community({ADA: "---\nname: Ada\navatar: avatars/a.png\n---\n", "secret.png": png()})
    (root / "content/avatars").mkdir()
    (root / "content/avatars/a.png").symlink_to(root / "secret.png")
    p = only(load_community(root).problems)
    assert (p.line, p.field, p.code) == (3, "avatar", "avatar-outside")


def test_an_avatar_over_the_size_cap_is_an_error(write_community):
    data = png() + b"\x00" * MAX_AVATAR_BYTES
    p = only(ada(write_community, "name: Ada\navatar: avatars/a.png\n", **{"content/avatars/a.png": data}))
    assert located(p) == (3, "avatar", "avatar-too-large")


def test_an_avatar_with_huge_dimensions_is_an_error(write_community):
    found = ada(write_community, "name: Ada\navatar: avatars/a.png\n",
                **{"content/avatars/a.png": png(100_000, 100_000)})
    assert located(only(found)) == (3, "avatar", "avatar-dimensions")


def test_a_jpeg_header_after_a_large_exif_block_is_found(write_community):
    exif = b"\xff\xe1\xff\xf0" + b"\x00" * 0xFFEE
    data = b"\xff\xd8" + exif + jpeg()[2:]
    assert ada(write_community, "name: Ada\navatar: avatars/a.jpg\n", **{"content/avatars/a.jpg": data}) == []
