"""All hostile files through `check`, the accepted ones through `build`, and the site searched
for anything that could run, track or leak.

Every HTML page is parsed the way a browser parses it (html5lib). What the theme itself writes
(its scripts, search form, pictures, CSP) is learnt from a build of the base community alone:
an element of a watched kind whose shape the theme never writes came from a profile. Text
files, the feed and the gzip-compressed Pagefind index are searched for e-mail addresses and
for the markers the hostile files planted.
"""

from __future__ import annotations

import gzip
import html
import json
import re
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup, Tag
from click.testing import CliRunner

from generator.cli import cli
from hostile_helpers import HOSTILE, MANIFEST, accepted, hostile_community, member_rel

SAFE_SCHEMES = {"http", "https", "mailto"}
OWN_SCRIPT_FOLDERS = ("/assets/", "/pagefind/")
JSON_SCRIPT_TYPES = {"application/ld+json", "application/json"}
# Never written by the theme, never allowed from a profile.
FORBIDDEN = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal", "math",
             "foreignobject", "animate", "set", "handler", "listener", "template"}
# Written by the theme in known shapes; any other shape came from a profile.
WATCHED = {"script", "style", "link", "meta", "form", "input", "button", "select", "textarea", "svg", "noscript"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "cite", "background",
                  "ping", "manifest", "codebase", "longdesc", "icon", "lowsrc", "dynsrc", "srcdoc"}
# The base member's address and the two hostile files' (priv-email.md, priv-email-upper.md).
BASE = ("ada-lovelace", "edward-lear", "grace-hopper", "william-morris")
EMAILS = ["ada.base-7q@example.org", "mallory.private-7q@example.org", "MALLORY.UPPER-7Q@Example.ORG"]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, list[dict]]:
    """`connectory check` over the base community with every hostile file at once."""
    root = hostile_community(tmp_path_factory.mktemp("all"), MANIFEST)
    result = CliRunner().invoke(cli, ["check", "--source", str(root), "--format", "json"])
    return result.exit_code, json.loads(result.stdout)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The base community with every accepted hostile file, built."""
    root = hostile_community(tmp_path_factory.mktemp("accepted"), accepted())
    out = root / "site"
    exit_code, output = run("build", "--source", str(root), "--out", str(out))
    assert exit_code == 0, output
    return out


@pytest.fixture(scope="module")
def theme_shapes(tmp_path_factory: pytest.TempPathFactory) -> set[tuple]:
    """The shapes of watched elements (and of elements with a style attribute) that a build of
    the base community alone contains."""
    root = hostile_community(tmp_path_factory.mktemp("base"), [])
    out = root / "site"
    assert run("build", "--source", str(root), "--out", str(out))[0] == 0
    shapes = {shape(tag) for page in pages(out) for tag in page.find_all(WATCHED)}
    return shapes | {style_shape(tag) for page in pages(out) for tag in page.find_all(style=True)}


@cache
def _parse(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html5lib")


def pages(out: Path) -> list[BeautifulSoup]:
    return [_parse(p) for p in sorted(out.rglob("*.html"))]


def shape(tag: Tag) -> tuple:
    """What identifies a theme element whatever the member data in it: tag, attribute names, and
    the attributes that say what the element is."""
    keys = ("class", "id", "type", "rel", "role", "http-equiv", "name", "method", "src", "action")
    fixed = tuple((k, str(tag.get(k))) for k in keys if k in tag.attrs and not (tag.name == "input" and k == "name"))
    if tag.name == "meta" and tag.get("http-equiv"):
        fixed += (("content", tag.get("content")),)
    return tag.name, tuple(sorted(tag.attrs)), fixed


def style_shape(tag: Tag) -> tuple:
    return "style-attribute", tag.name, tuple(tag.get("class") or ())


def browser_scheme(url: str) -> str:
    """The scheme a browser sees: leading and trailing C0 controls and spaces stripped, tabs and
    newlines removed anywhere, case folded; "" for a relative URL."""
    url = re.sub(r"[\t\n\r]", "", url.strip("".join(map(chr, range(0x21)))))
    match = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", url)
    return match.group(1).lower() if match else ""


def where(page: BeautifulSoup) -> str:
    canonical = page.find("link", rel="canonical")
    return canonical["href"] if canonical else (page.title.string if page.title else "?")


# --- check -------------------------------------------------------------------------------------------

def test_check_of_every_hostile_file_together_fails_the_rejected_and_only_them(checked):
    exit_code, problems = checked
    errors: dict[str, set[str]] = {}
    for p in problems:
        if p["severity"] == "error":
            errors.setdefault(p["file"], set()).add(p["code"])
    # An unknown connection resolves here: the look-alike it names is among the files.
    own = {member_rel(n) for n, e in MANIFEST.items()
           if e["expect"] == "rejected" and {c for c, _, _ in e["errors"]} != {"unknown-connection"}}
    hostile = {member_rel(n) for n in MANIFEST}
    assert exit_code == 1
    assert own <= set(errors) <= hostile | {f"content/members/{b}.md" for b in BASE}
    # The base members fail only because look-alikes of their handles are here too.
    assert {code for f, codes in errors.items() if f not in hostile for code in codes} == {"lookalike-handle"}


# --- build: nothing executable -------------------------------------------------------------------------

def test_every_accepted_hostile_member_is_published(site):
    drafts = {n for n in accepted() if "draft: true" in (HOSTILE / "profiles" / n).read_text()}
    for name in set(accepted()) - drafts:
        assert (site / "members" / Path(name).stem / "index.html").is_file(), name


def test_no_script_but_the_themes_files_and_json_data(site):
    for page in pages(site):
        for script in page.find_all("script"):
            src = script.get("src")
            if src is not None:
                parts = urlsplit(src)
                assert not parts.scheme and not parts.netloc and parts.path.startswith(OWN_SCRIPT_FOLDERS), \
                    (where(page), src)
                continue
            text = script.string or ""
            assert script.get("type") in JSON_SCRIPT_TYPES, (where(page), text[:200])
            json.loads(text)
            assert "</" not in text and "<!--" not in text, (where(page), text[:200])


def test_no_event_handler_attribute(site):
    for page in pages(site):
        for tag in page.find_all(True):
            handlers = [a for a in tag.attrs if a.lower().startswith("on")]
            assert not handlers, (where(page), str(tag)[:200])


def test_no_url_with_a_scheme_other_than_http_https_or_mailto(site):
    for page in pages(site):
        for tag in page.find_all(True):
            for attribute, value in tag.attrs.items():
                if attribute.lower() in URL_ATTRIBUTES:
                    assert browser_scheme(str(value)) in SAFE_SCHEMES | {""}, (where(page), str(tag)[:200])
                if attribute.lower() in ("srcset", "imagesrcset"):
                    for candidate in str(value).split(","):
                        assert browser_scheme(candidate) in SAFE_SCHEMES | {""}, (where(page), str(tag)[:200])


def test_no_frame_object_embed_base_or_foreign_content(site):
    for page in pages(site):
        found = [str(t)[:120] for t in page.find_all(lambda t: t.name.lower() in FORBIDDEN)]
        assert not found, (where(page), found)


def test_scripts_styles_forms_svgs_and_meta_are_only_the_themes_own(site, theme_shapes):
    for page in pages(site):
        foreign = [str(t)[:200] for t in page.find_all(WATCHED) if shape(t) not in theme_shapes]
        assert not foreign, (where(page), foreign)


def test_no_style_attribute_the_theme_does_not_write(site, theme_shapes):
    for page in pages(site):
        styled = [str(t)[:200] for t in page.find_all(style=True) if style_shape(t) not in theme_shapes]
        assert not styled, (where(page), styled)


def test_images_come_from_the_site_itself(site):
    """A remote image is a tracking pixel: bios turn them into links, and no page embeds one."""
    for page in pages(site):
        for tag in page.find_all(["img", "source", "video", "audio", "track", "input", "image"]):
            for attribute in ("src", "poster", "srcset", "href", "xlink:href"):
                value = tag.get(attribute)
                if value is not None:
                    parts = urlsplit(str(value).strip())
                    assert not parts.scheme and not parts.netloc, (where(page), str(tag)[:200])


def test_no_output_path_is_a_name_windows_cannot_create(site):
    """A topic called `con` must not become the folder topics/con/: Windows reserves device names,
    whatever the extension, and the site must build and unpack there too."""
    devices = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
    bad = [p.relative_to(site).as_posix() for p in site.rglob("*")
           if p.name.split(".")[0].lower() in devices or p.name.endswith((".", " "))]
    assert bad == []


def test_a_remote_image_in_a_bio_is_a_link_to_it(site):
    page = _parse(site / "members" / "xss-remote-image-markdown" / "index.html")
    assert page.find("a", href="https://tracker.example/pixel.gif") is not None


def test_svg_files_hold_no_script_handler_or_link(site):
    for path in sorted(site.rglob("*.svg")):
        for element in ET.parse(path).iter():
            name = element.tag.rsplit("}", 1)[-1].lower()
            assert name not in {"script", "foreignobject", "a", "animate", "set"} | FORBIDDEN, path
            for attribute, value in element.attrib.items():
                attribute = attribute.rsplit("}", 1)[-1].lower()
                assert not attribute.startswith("on"), path
                if attribute == "href":
                    assert browser_scheme(value) == "", path


def test_feed_entries_hold_nothing_executable(site):
    feed = ET.parse(site / "feed.xml").getroot()
    atom = "{http://www.w3.org/2005/Atom}"
    entries = feed.findall(f"{atom}entry")
    assert {e.findtext(f"{atom}title") for e in entries} >= {"<script>alert(\"feed\")</script> Feed"}
    for entry in entries:
        for element in entry.iter():
            if element.get("type") in ("html", "xhtml") and element.text:
                fragment = BeautifulSoup(element.text, "html5lib")
                assert not fragment.find_all(["script", *FORBIDDEN]), element.text[:200]
                assert not [a for t in fragment.find_all(True) for a in t.attrs if a.lower().startswith("on")]
                assert all(browser_scheme(t.get("href", "")) in SAFE_SCHEMES | {""} for t in fragment.find_all("a"))


# --- privacy ------------------------------------------------------------------------------------------

def readable(data: bytes) -> str:
    """A file as text in every form a reader could decode it from: gzip (the Pagefind index),
    HTML entities, percent-encoding, JSON escapes; lower-cased."""
    while data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    text = data.decode("utf-8", "replace")
    unescaped = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)
    forms = [text, html.unescape(text), html.unescape(html.unescape(text)), unquote(text), unescaped,
             html.unescape(unquote(unescaped))]
    return "\n".join(forms).lower()


@pytest.fixture(scope="module")
def site_text(site) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): readable(p.read_bytes()) for p in sorted(site.rglob("*")) if p.is_file()}


def test_the_search_index_was_read(site_text):
    fragments = [t for name, t in site_text.items() if name.startswith("pagefind/") and "fragment" in name]
    assert fragments and any("edward paints parrots" in t for t in fragments)


@pytest.mark.parametrize("email", EMAILS)
def test_no_email_address_is_in_any_file_of_the_site_or_its_search_index(site_text, email):
    local = email.split("@")[0].lower()
    assert [name for name, text in site_text.items() if local in text] == []


@pytest.mark.parametrize("marker", sorted({m for e in MANIFEST.values() if e["expect"] == "accepted"
                                           for m in e.get("absent", [])}))
def test_a_planted_marker_is_in_no_file(site_text, marker):
    assert [name for name, text in site_text.items() if marker.lower() in text] == []


def test_a_one_sided_claim_is_no_connection(site):
    graph = json.loads((site / "graph.json").read_text())
    index = graph["handles"].index("priv-one-sided-claim")
    # Each row lists the member's later neighbours as gaps between indexes: [1, 1] is 1 and 2.
    edges = {(i, i + sum(row[:k + 1])) for i, row in enumerate(graph["adj"]) for k in range(len(row))}
    assert [edge for edge in edges if index in edge] == []
    ada, grace = graph["handles"].index("ada-lovelace"), graph["handles"].index("grace-hopper")
    assert (ada, grace) in edges  # the decoding is right: a confirmed connection is there
    for page in (site / "members" / "ada-lovelace").rglob("*.html"):
        assert "priv-one-sided-claim" not in page.read_text(encoding="utf-8"), page


def test_a_member_who_declines_to_introduce_is_nobodys_introducer(site):
    """William lists Ada and Edward with introductions: false: neither is offered the other."""
    for member, other in (("ada-lovelace", "Edward Lear"), ("edward-lear", "Ada Lovelace")):
        for page in (site / "members" / member).rglob("*.html"):
            assert other not in _parse(page).get_text(), page
