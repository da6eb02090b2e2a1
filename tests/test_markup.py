"""Bios: the Markdown members expect from GitHub, and nothing that can run in a visitor's browser."""

from __future__ import annotations

from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.markup import converter, to_html


def soup(markdown_text: str, **kwargs: int) -> BeautifulSoup:
    return BeautifulSoup(to_html(markdown_text, **kwargs), "html.parser")


def test_script_and_style_are_removed_with_their_content() -> None:
    html = to_html("Hi <script>alert('x')</script><style>body{display:none}</style> there")
    assert "<script" not in html and "alert" not in html
    assert "<style" not in html and "display:none" not in html


def test_event_handlers_are_removed() -> None:
    page = soup('<b onclick="steal()">bold</b> <a href="https://example.org" onmouseover="x()">link</a>')
    for element in page.find_all(True):
        assert not any(name.startswith("on") for name in element.attrs)
    assert page.b.text == "bold"


def test_javascript_links_lose_their_url() -> None:
    page = soup('[a](javascript:alert(1)) <a href="JaVaScRiPt:alert(2)">b</a> <a href="&#106;avascript:x">c</a>')
    assert [a.get("href") for a in page.find_all("a")] == [None, None, None]
    assert "javascript" not in str(page).lower()


def test_data_and_vbscript_urls_are_refused() -> None:
    page = soup('[a](data:text/html;base64,PHNjcmlwdD4=) [b](vbscript:msgbox)')
    assert [a.get("href") for a in page.find_all("a")] == [None, None]


def test_a_refused_link_keeps_no_rel_either() -> None:
    assert to_html("[a](javascript:x)") == "<p><a>a</a></p>"


def test_external_links_get_nofollow_ugc_noopener() -> None:
    link = soup("[site](https://example.org)").a
    assert link["href"] == "https://example.org"
    assert link["rel"] == ["nofollow", "ugc", "noopener"]


def test_mailto_links_are_allowed() -> None:
    assert soup("[write](mailto:someone@example.org)").a["href"] == "mailto:someone@example.org"


def test_relative_links_are_dropped_but_fragments_kept() -> None:
    page = soup("[about](/about/) [here](#notes)")
    assert [a.get("href") for a in page.find_all("a")] == [None, "#notes"]


def test_attr_list_braces_are_inert_text() -> None:
    page = soup('A paragraph\n{: onclick="alert(1)" class="button" }\n\n## Title {: #main }')
    assert page.p.get("onclick") is None and page.p.get("class") is None
    assert "{: onclick" in page.p.text
    assert page.h3.get("id") is None and "{: #main }" in page.h3.text


def test_md_in_html_is_off_so_markdown_inside_html_stays_text() -> None:
    html = to_html('<div markdown="1">**bold**</div>')
    assert "<strong>" not in html and "markdown=" not in html


def test_iframe_object_form_svg_base_meta_are_removed() -> None:
    html = to_html('<iframe src="https://x.example"></iframe><object data="x"></object><form action="/x">'
                   '<input name="q"></form><svg onload="x()"><circle r="1"/></svg><base href="https://evil.example/">'
                   '<meta http-equiv="refresh" content="0;url=https://evil.example">')
    for tag in ("iframe", "object", "form", "input", "svg", "base", "meta"):
        assert f"<{tag}" not in html


def test_style_and_class_attributes_are_removed() -> None:
    div = soup('<div style="position:fixed" class="site-header" id="main">x</div>').div
    assert div.attrs == {}


def test_code_blocks_keep_only_a_language_class() -> None:
    page = soup("```python\nprint(1)\n```\n\n<code class='btn danger'>x</code>")
    codes = page.find_all("code")
    assert codes[0]["class"] == ["language-python"]
    assert codes[1].get("class") is None


def test_images_become_links_to_the_image() -> None:
    link = soup("![A cat](https://img.example/cat.png)").a
    assert link["href"] == "https://img.example/cat.png"
    assert link.text == "Image: A cat"
    assert "<img" not in to_html("![A cat](https://img.example/cat.png)")


def test_an_image_inside_a_link_becomes_its_words() -> None:
    page = soup("[![logo](https://img.example/l.png)](https://example.org)")
    assert len(page.find_all("a")) == 1 and page.a.text == "Image: logo"


def test_raw_html_images_are_dropped() -> None:
    assert "<img" not in to_html('<img src="https://tracker.example/p.gif" onerror="x()">')


HEADINGS = ["h1", "h2", "h3", "h4", "h5", "h6"]


def test_headings_shift_down_so_the_page_keeps_one_h1() -> None:
    page = soup("# One\n\n## Two\n\n### Three")
    assert [h.name for h in page.find_all(HEADINGS)] == ["h3", "h4", "h5"]


def test_the_highest_heading_of_a_bio_becomes_h3_whatever_its_level() -> None:
    assert [h.name for h in soup("### Work\n\n### Play").find_all(HEADINGS)] == ["h3", "h3"]


def test_heading_levels_are_never_skipped() -> None:
    page = soup("## A\n\n#### A.1\n\n###### A.1.1\n\n## B\n\n### B.1")
    assert [h.name for h in page.find_all(HEADINGS)] == ["h3", "h4", "h5", "h3", "h4"]


def test_raw_html_headings_above_the_bio_level_lose_their_tag() -> None:
    html = to_html("<h1>Big</h1>\n\n<h2>Also big</h2>")
    assert "<h1" not in html and "<h2" not in html and "Big" in html


def test_pages_start_their_headings_at_h2() -> None:
    assert soup("## Join", top=2).h2.text == "Join"


def test_fenced_code_is_escaped() -> None:
    assert soup("```\n<script>alert(1)</script>\n```").pre.code.text == "<script>alert(1)</script>\n"


def test_tables() -> None:
    page = soup("| a | b |\n|---|---|\n| 1 | 2 |")
    assert [td.text for td in page.find_all("td")] == ["1", "2"]


def test_lists_nest_with_two_spaces() -> None:
    page = soup("- fruit\n  - apple\n  - pear\n- bread")
    assert [li.text for li in page.select("ul ul li")] == ["apple", "pear"]


def test_bare_urls_become_links() -> None:
    assert soup("See https://example.org/page for more").a["href"] == "https://example.org/page"


def test_strikethrough() -> None:
    assert soup("~~old~~ new").find("del").text == "old"


def test_a_single_tilde_is_not_subscript() -> None:
    assert "<sub>" not in to_html("about ~5 people, or ~ten~")


def test_a_reused_converter_forgets_the_previous_text() -> None:
    convert = converter()
    convert("[ref]: https://example.org/secret\n\n# Heading")
    html = convert("[link][ref]")
    assert "secret" not in html and "<h3" not in html


LEAN_CASES = [
    "# Title\n\nText with *em*, **strong**, `code` and a [link](mailto:x) and ![alt](pic.png).\n\n## Sub\n\n### Deeper",
    "- a\n  - nested\n- b\n\n1. one\n2. two",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "```python\nprint(1)\n```\n\n    indented code",
    "<b onclick=x>raw</b> <img src=x> <h1>html heading</h1> &amp; &#60; \\* escaped",
    "> quote\n\nSetext\n======\n\nLine  \nbreak [ref][r]\n\n[r]: https-less.example",
    "[![alt](img.png)](link-without-scheme) and ![](empty-alt.png)",
]


def test_texts_without_links_mail_or_tildes_convert_the_same_without_magiclink_and_tilde() -> None:
    from pathlib import Path

    from generator.content import split_front_matter
    from generator.markup import EXTENSIONS, _LEAN, needs_full_parser, parser

    hostile = Path(__file__).parent / "hostile" / "profiles"
    # Every hostile profile's bio but the slow-to-parse ones (dos-*: their point is their cost)
    texts = LEAN_CASES + [split_front_matter(p.read_bytes().decode("utf-8", "replace"), p.name)[1]
                          for p in sorted(hostile.glob("*.md")) if not p.name.startswith("dos-")]
    lean_ones = [t for t in texts if not needs_full_parser(t)]
    assert len(lean_ones) >= len(LEAN_CASES)
    full, lean = parser(EXTENSIONS, 3), parser(_LEAN, 3)
    for text in lean_ones:
        assert lean.reset().convert(text) == full.reset().convert(text), text


def test_links_mail_and_tildes_take_the_full_parser() -> None:
    from generator.markup import needs_full_parser

    for text in ("see https://x.org", "WWW.example.org", "me@example.org", "~~gone~~", "h\x02ttp:\x03//"):
        assert needs_full_parser(text), text
    assert not needs_full_parser("plain *text*")


# Pieces a member's Markdown is made of, and every character an inline pattern looks for.
PIECES = ["a", "b c", " ", "  ", "\n", "\n\n", "\t", "\r\n", "*", "**", "_", "`", "``", "\\", "[", "]", "(", ")",
          "![", "<", ">", "&", ";", "#", "- ", "1. ", "> ", "|", "---", "```", "~~", "~", "@", ":", "/", "https://x.org",
          "www.y.org", "me@z.org", "<b>", "</b>", "&amp;", "&#60;", "[r]: https://r.org\n", "\x02", "\x03", "é"]


@settings(max_examples=300, derandomize=True, deadline=None, database=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_leaving_out_the_inline_patterns_a_text_cannot_use_changes_nothing(text: str) -> None:
    from generator.markup import EXTENSIONS, _LEAN, needs_full_parser, parser, sanitise

    every_pattern = parser(EXTENSIONS if needs_full_parser(text) else _LEAN, 3)
    assert converter()(text) == sanitise(every_pattern.convert(text), lowest_heading=3)


def test_a_pattern_is_left_out_only_when_the_text_lacks_what_it_looks_for() -> None:
    from generator.markup import idle_patterns

    assert "link" in idle_patterns("plain words") and "link" not in idle_patterns("a [link](https://x.org)")
    assert "linebreak" not in idle_patterns("tab\tthen") and "linebreak" not in idle_patterns("two  \nlines")
    assert idle_patterns("held \x02 back") == frozenset()
