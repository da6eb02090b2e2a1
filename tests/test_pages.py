"""content/pages/*.md: a `title:` and a Markdown body, checked like profiles are."""

from __future__ import annotations

from generator.community import load_community

ABOUT = "content/pages/about.md"


def test_a_page_is_loaded_with_its_title_and_body(write_community):
    loaded = load_community(write_community({ABOUT: "---\ntitle: About us\n---\nWe *meet*.\n"}))
    assert loaded.problems == []
    page = loaded.community.pages[0]
    assert (page.slug, page.title, page.source, page.body) == ("about", "About us", ABOUT, "We *meet*.\n")


def test_pages_are_in_slug_order(write_community):
    root = write_community({"content/pages/b.md": "---\ntitle: B\n---\n", "content/pages/a.md": "---\ntitle: A\n---\n"})
    assert [p.slug for p in load_community(root).community.pages] == ["a", "b"]


def test_a_page_needs_a_title(write_community):
    loaded = load_community(write_community({ABOUT: "---\ntitel: About\n---\n"}))
    found = [(p.file, p.line, p.field, p.code) for p in loaded.problems]
    assert found == [(ABOUT, 2, "titel", "unknown-key")]
    assert loaded.community.pages == ()


def test_a_page_file_name_must_be_a_safe_address(write_community):
    rel = "content/pages/About Us.md"
    loaded = load_community(write_community({rel: "---\ntitle: About\n---\n"}))
    assert [(p.file, p.line, p.code) for p in loaded.problems] == [(rel, 1, "bad-file-name")]
    assert loaded.community.pages == ()


def test_a_page_without_front_matter_is_an_error(write_community):
    loaded = load_community(write_community({ABOUT: "# About\n"}))
    assert [(p.file, p.line, p.code) for p in loaded.problems] == [(ABOUT, 1, "no-front-matter")]


def test_a_page_with_no_title_at_all_says_title_is_required(write_community):
    loaded = load_community(write_community({ABOUT: "---\nmenu: true\n---\n"}))
    assert [(p.line, p.field, p.code) for p in loaded.problems] == [(2, "menu", "unknown-key"),
                                                                     (2, "title", "missing-field")]
