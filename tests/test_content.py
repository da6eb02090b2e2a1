"""Reading a profile file: encodings, front matter, and the YAML we accept or refuse, each with its line."""

from __future__ import annotations

from pathlib import Path

from generator.community import load_community
from generator.content import MAX_DEPTH, MAX_FILE_BYTES, MAX_FRONT_MATTER_BYTES, MAX_SCALAR_CHARS
from generator.errors import Problem

ADA = "content/members/ada.md"
BOB_MD = "content/members/bob.md"


def problems(root: Path) -> list[Problem]:
    return load_community(root).problems


def only(root: Path) -> Problem:
    """The single problem of the community; fails with all of them listed otherwise."""
    found = problems(root)
    assert len(found) == 1, found
    return found[0]


def located(p: Problem) -> tuple[str, int, str, str]:
    return p.file, p.line, p.field, p.code


def test_a_plain_profile_has_no_problem(write_community):
    root = write_community({ADA: "---\nname: Ada Lovelace\n---\nBio.\n"})
    assert problems(root) == []


def test_a_utf8_bom_is_accepted(write_community):
    root = write_community({ADA: "\ufeff---\nname: Ada\n---\nBio.\n".encode()})
    assert problems(root) == []
    assert load_community(root).community.members[0].name == "Ada"


def test_crlf_line_endings_are_accepted(write_community):
    root = write_community({ADA: b"---\r\nname: Ada\r\nfields: [maths]\r\n---\r\nBio.\r\n"})
    member = load_community(root).community.members[0]
    assert (member.name, member.fields, member.bio) == ("Ada", ("maths",), "Bio.\n")


def test_crlf_keeps_line_numbers(write_community):
    root = write_community({ADA: b"---\r\nname: Ada\r\n\r\nbogus: 1\r\n---\r\n"})
    assert located(only(root)) == (ADA, 4, "bogus", "unknown-key")


def test_a_file_over_the_size_cap_is_an_error(write_community):
    root = write_community({ADA: "---\nname: Ada\n---\n" + "x" * MAX_FILE_BYTES})
    assert located(only(root)) == (ADA, 1, "", "file-too-large")


def test_a_nul_byte_is_an_error_on_its_line(write_community):
    root = write_community({ADA: b"---\nname: Ada\n---\nBio\x00.\n"})
    assert located(only(root)) == (ADA, 4, "", "nul-byte")


def test_invalid_utf8_is_an_error_on_its_line(write_community):
    root = write_community({ADA: b"---\nname: Ada\nheadline: caf\xe9\n---\n"})
    p = only(root)
    assert located(p) == (ADA, 3, "", "bad-encoding")
    assert "UTF-8" in p.message


def test_utf16_is_an_error_naming_utf16(write_community):
    root = write_community({ADA: "---\nname: Ada\n---\n".encode("utf-16")})
    p = only(root)
    assert located(p) == (ADA, 1, "", "bad-encoding")
    assert "UTF-16" in p.message


def test_a_file_without_front_matter_is_an_error(write_community):
    root = write_community({ADA: "name: Ada\n\nBio.\n"})
    p = only(root)
    assert located(p) == (ADA, 1, "", "no-front-matter")
    assert "`---`" in p.hint


def test_an_unclosed_front_matter_says_so(write_community):
    root = write_community({ADA: "---\nname: Ada\nBio.\n"})
    p = only(root)
    assert located(p) == (ADA, 1, "", "unclosed-front-matter")
    assert "closing `---`" in p.hint


def test_an_empty_front_matter_is_an_error(write_community):
    root = write_community({ADA: "---\n---\nBio.\n"})
    assert located(only(root)) == (ADA, 2, "", "empty-front-matter")


def test_front_matter_that_is_not_fields_is_an_error(write_community):
    root = write_community({ADA: "---\n- Ada\n---\n"})
    assert located(only(root)) == (ADA, 2, "", "not-a-mapping")


def test_an_oversized_front_matter_is_an_error(write_community):
    lines = "".join(f"# {'x' * 70}\n" for _ in range(MAX_FRONT_MATTER_BYTES // 70))
    root = write_community({ADA: f"---\nname: Ada\n{lines}---\n"})
    assert located(only(root)) == (ADA, 2, "", "front-matter-too-large")


def test_a_yaml_syntax_error_names_its_line(write_community):
    root = write_community({ADA: "---\nname: Ada\nfields: [maths, music\nasks: []\n---\n"})
    p = only(root)
    assert (p.file, p.code) == (ADA, "yaml-syntax")
    assert p.line in (4, 5)  # where the parser noticed the missing ]


def test_a_tab_in_the_indentation_names_its_line_and_the_tab(write_community):
    root = write_community({ADA: "---\nname: Ada\nfields:\n\t- maths\n---\n"})
    p = only(root)
    assert located(p) == (ADA, 4, "", "yaml-syntax")
    assert "tab" in p.hint


def test_a_duplicate_key_is_an_error_on_its_second_line(write_community):
    root = write_community({ADA: "---\nname: Ada\nheadline: one\nheadline: two\n---\n"})
    p = only(root)
    assert located(p) == (ADA, 4, "headline", "duplicate-key")
    assert "line 3" in p.message


def test_a_duplicate_key_inside_a_connection_is_an_error(write_community):
    root = write_community({
        ADA: "---\nname: Ada\nconnections:\n  - handle: bob\n    context: a\n    context: b\n---\n",
        "content/members/bob.md": "---\nname: Bob\nconnections: [ada]\n---\n",
    })
    assert located(only(root)) == (ADA, 6, "connections.1.context", "duplicate-key")


def test_a_yaml_anchor_is_refused(write_community):
    root = write_community({ADA: "---\nname: Ada\nfields: &f [maths]\ninterests: [music]\n---\n"})
    assert located(only(root)) == (ADA, 3, "fields", "yaml-anchor")


def test_a_yaml_alias_is_refused(write_community):
    root = write_community({ADA: '---\nname: Ada\ninterests: [maths]\nfields:\n  - *x\n---\n'})
    p = only(root)
    assert (p.file, p.line, p.code) == (ADA, 5, "yaml-alias")


def test_a_yaml_tag_is_refused(write_community):
    root = write_community({ADA: "---\nname: Ada\nheadline: !!python/object:os.system echo\n---\n"})
    assert located(only(root)) == (ADA, 3, "headline", "yaml-tag")


def test_nesting_deeper_than_the_cap_is_refused(write_community):
    root = write_community({ADA: "---\nname: Ada\nfields: " + "[" * (MAX_DEPTH + 5) + "\n---\n"})
    p = only(root)
    assert (p.file, p.line, p.code) == (ADA, 3, "too-deep")


def test_a_value_longer_than_the_cap_is_refused(write_community):
    root = write_community({ADA: f"---\nname: Ada\nheadline: {'x' * (MAX_SCALAR_CHARS + 1)}\n---\n"})
    assert located(only(root)) == (ADA, 3, "headline", "value-too-long")


def test_a_number_too_large_to_read_is_an_error(write_community):
    root = write_community({ADA: f"---\nname: Ada\nheadline: {'9' * 5000}\n---\n"})
    assert located(only(root)) == (ADA, 3, "headline", "bad-value")


def test_a_second_yaml_document_is_refused(write_community):
    root = write_community({ADA: "---\nname: Ada\n--- {name: Eve}\n---\n"})
    p = only(root)
    assert (p.file, p.line, p.code) == (ADA, 3, "several-documents")


def test_a_raw_control_character_names_its_line_and_column(write_community):
    root = write_community({ADA: "---\nname: Ada\nheadline: \u00e9\u00e9 \x1b[31m\n---\n"})
    p = only(root)
    assert (p.file, p.line, p.column, p.code) == (ADA, 3, 14, "control-character")


def test_a_key_that_is_a_list_is_refused(write_community):
    root = write_community({ADA: "---\nname: Ada\n? [a, b]\n: c\n---\n"})
    assert located(only(root)) == (ADA, 3, "", "complex-key")


def test_dates_stay_as_written(write_community):
    root = write_community({ADA: "---\nname: 2020-01-01\njoined: 2026-03-14\n---\n"})
    member = load_community(root).community.members[0]
    assert (member.name, member.joined) == ("2020-01-01", "2026-03-14")


def test_a_profile_linked_to_a_file_outside_content_is_refused_unread(write_community):
    root = write_community({"secret.md": "---\nname: Secret Token\n---\n", BOB_MD: "---\nname: Bob\n---\n"})
    (root / ADA).symlink_to(root / "secret.md")
    p = only(root)
    assert located(p) == (ADA, 1, "", "link-outside")
    assert [m.name for m in load_community(root).community.members] == ["Bob"]


def test_a_file_in_members_that_is_not_md_is_a_warning(write_community):
    root = write_community({"content/members/ada.MD": "---\nname: Ada\n---\n", "content/members/.gitkeep": ""})
    p = only(root)
    assert located(p) == ("content/members/ada.MD", 1, "", "not-a-profile")
    assert p.severity == "warning" and "`ada.md`" in p.hint


def test_a_file_that_cannot_be_read_is_a_problem_not_a_crash(tmp_path: Path):
    from generator.content import read_text

    text, found = read_text(tmp_path, "content/members/ada.md")  # a folder: open() fails
    assert text is None and [(p.line, p.code) for p in found] == [(1, "unreadable")]


def test_blank_lines_before_the_front_matter_are_named_in_the_hint(write_community):
    root = write_community({ADA: b"\n\n---\nname: Ada\n---\n"})
    p = only(root)
    assert located(p) == (ADA, 1, "", "no-front-matter")
    assert "first line" in p.hint
