"""No profile content can run script in a visitor's browser: a hostile community, built, parsed back.

Every output file is parsed the way a browser parses it (html5lib), and whatever the profile tried
(script in the name, event handlers in the headline, `javascript:` links spelt many ways in the
bio and the links, markup in topics and details) must be gone, while the theme's own scripts stay.
"""

from __future__ import annotations

import gzip
import html
import json
import re
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup

from site_helpers import Site, build_site, files_of, html_files

EMAIL = "mallory.secret-7q@evil.example"
NAME = """</script><script>alert("name")</script> Mal'lory "Q" <b>O</b>"""

MALLORY = textwrap.dedent(f"""\
    ---
    name: '{NAME.replace("'", "''")}'
    pronouns: '"><svg onload=alert(1)>'
    headline: 'He said "hi" & ''<img src=x onerror=alert(1)>'' {{{{ 7*7 }}}}'
    location: '<iframe src="javascript:alert(1)"></iframe>'
    fields: ['<script>alert(1)</script>', '" onmouseover="alert(1)']
    interests: ['javascript:alert(1)', '</title><script>alert(1)</script>', "{{{{ config }}}}"]
    offers:
      - topic: '<b onclick=alert(1)>help</b>'
        detail: '<a href="javascript:alert(1)">click</a> </script><script>alert(1)</script>'
      - 'JaVaScRiPt:alert(2)'
    asks:
      - topic: '<img src=x onerror=alert(1)>'
        detail: '" autofocus onfocus="alert(1)'
    connections:
      - handle: trent
        context: '<script>alert("context")</script><a href="javascript:alert(1)">x</a>'
        strength: close
      - handle: walter
        context: 'pending <svg/onload=alert(1)>'
    open_to: ['<style>body{{display:none}}</style>']
    links:
      website: 'https://evil.example/"><script>alert(1)</script>'
      blog: "https://evil.example/'onmouseover='alert(1)'"
      github: mallory
      mastodon: '@mallory@evil.example'
    contact: '<a href="javascript:alert(1)">mail me</a> javascript:alert(1)'
    email: {EMAIL}
    joined: 2024-01-01
    ---
    <script>alert('bio')</script>
    <img src=x onerror=alert(1)>
    <a href="javascript:alert(1)">a1</a>
    <a href="JaVaScRiPt:alert(1)">a2</a>
    <a href=" javascript:alert(1)">a3</a>
    <a href="java&#x09;script:alert(1)">a4</a>
    <a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">a5</a>
    <a href="&#x6A;avascript&colon;alert(1)">a6</a>
    <a href="vbscript:msgbox(1)">a7</a>
    <a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">a8</a>
    <a href="https://ok.example/" onmouseover="alert(1)" style="position:fixed">ok</a>

    [m1](javascript:alert(1)) [m2](JAVASCRIPT:alert(1)) [m3](  javascript:alert(1)  )
    [m4](java%0ascript:alert(1)) [m5][ref] <javascript:alert(1)> [m6](&#x6A;avascript:alert(1))
    ![img](javascript:alert(1)) ![x](https://x.example/a.png"onerror="alert(1))
    [m7](<javascript:alert(1)>) [m8](data:text/html,<script>alert(1)</script>)

    [ref]: javascript:alert(1)

    <iframe src="https://evil.example"></iframe>
    <object data="https://evil.example/x.swf"></object><embed src="https://evil.example/x.swf">
    <form action="https://evil.example"><input name=a onfocus=alert(1) autofocus></form>
    <svg><script>alert(1)</script><a xlink:href="javascript:alert(1)">s</a></svg>
    <math><mi xlink:href="javascript:alert(1)">x</mi></math>
    <div style="background:url(javascript:alert(1))" onclick="alert(1)">styled</div>
    <details open ontoggle=alert(1)><summary>d</summary></details>
    <meta http-equiv="refresh" content="0;url=javascript:alert(1)">
    <base href="javascript:alert(1)//">
    <noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>
    <!-- <script>alert(1)</script> -->
    </textarea><script>alert(1)</script>
    <scr<script>ipt>alert(1)</scr</script>ipt>

    ```html
    <script>alert('as code, shown as text')</script>
    ```
    """)

TRENT = """\
---
name: Trent
connections:
  - handle: mallory
    context: '<img src=x onerror=alert("trent")>'
---
Trent's bio.
"""

WALTER = "---\nname: Walter\n---\nWalter knows nobody yet.\n"

PAGE = """\
---
title: '</title><script>alert("page")</script>'
---
<script>alert('page')</script> [x](javascript:alert(1)) <a href="jav&#x0A;ascript:alert(1)">y</a>
"""

SITE = "title: '</title><script>alert(1)</script>'\ndescription: '\"><script>alert(1)</script>'\n"

ALLOWED_SCHEMES = {"http", "https", "mailto"}
URL_ATTRS = {"href", "src", "action", "formaction", "poster", "data", "cite", "background", "xlink:href",
             "srcset", "ping", "manifest", "icon", "codebase", "longdesc", "usemap", "dynsrc", "lowsrc"}
FORBIDDEN_TAGS = {"iframe", "object", "embed", "frame", "frameset", "applet", "base", "portal"}
# Browsers drop tab and newline anywhere in a URL and controls and spaces around it.
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The hostile community, built under a sub-path."""
    source = tmp_path_factory.mktemp("hostile")
    files = {"content/site.yaml": SITE, "content/members/mallory.md": MALLORY, "content/members/trent.md": TRENT,
             "content/members/walter.md": WALTER, "content/pages/notes.md": PAGE}
    for rel, text in files.items():
        (source / rel).parent.mkdir(parents=True, exist_ok=True)
        (source / rel).write_text(text, encoding="utf-8")
    base = "https://example.org/community/"
    return Site(build_site(source, source / "site", "--base-url", base), base)


@pytest.fixture(scope="module")
def pages(site: Site) -> dict[Path, BeautifulSoup]:
    """Every HTML file, parsed as a browser would, plus the HTML inside the Atom feed's entries."""
    pages = {rel: BeautifulSoup((site.out / rel).read_text(encoding="utf-8"), "html5lib")
             for rel in html_files(site.out)}
    feed = ET.parse(site.out / "feed.xml").getroot()
    for i, el in enumerate(e for e in feed.iter() if e.get("type") in ("html", "xhtml")):
        text = (el.text or "") if el.get("type") == "html" else ET.tostring(el, encoding="unicode")
        pages[Path(f"feed.xml#entry-html-{i}")] = BeautifulSoup(text, "html5lib")
    return pages


def _scheme(url: str) -> str:
    match = _SCHEME.match(_IGNORED_IN_URL.sub("", url).casefold())
    return match.group(1) if match else ""


def test_the_hostile_profile_is_published(site: Site) -> None:
    assert (site.out / "members" / "mallory" / "index.html").is_file()
    assert (site.out / "notes" / "index.html").is_file()


def test_no_script_but_the_themes_own_files_and_json_ld(site: Site, pages: dict[Path, BeautifulSoup]) -> None:
    bad = []
    for rel, page in pages.items():
        for script in page.find_all("script"):
            if script.get("src"):
                target = site.locate(rel, script["src"])[0]
                if target is None or target.split("/")[0] not in ("assets", "pagefind"):
                    bad.append(f"{rel}: script src={script['src']!r}")
            elif script.get("type") == "application/ld+json":
                try:
                    json.loads(script.string or "")
                except ValueError as error:
                    bad.append(f"{rel}: JSON-LD that is not JSON ({error}): {script.string!r:.200}")
            else:
                bad.append(f"{rel}: inline script {script.string!r:.120}")
    assert not bad, "\n".join(bad)


def test_no_event_handler_attributes(pages: dict[Path, BeautifulSoup]) -> None:
    bad = [f"{rel}: <{tag.name} {attr}={value!r:.80}>" for rel, page in pages.items()
           for tag in page.find_all(True) for attr, value in tag.attrs.items() if attr.lower().startswith("on")]
    assert not bad, "\n".join(bad)


def test_no_url_with_a_scheme_other_than_http_https_or_mailto(site: Site, pages: dict[Path, BeautifulSoup]) -> None:
    bad = []
    for rel, page in pages.items():
        for tag in page.find_all(True):
            for attr, value in tag.attrs.items():
                if attr.lower() not in URL_ATTRS or not isinstance(value, str):
                    continue
                urls = [u.split()[0] for u in value.split(",") if u.split()] if attr == "srcset" else [value]
                bad += [f"{rel}: <{tag.name} {attr}={u!r:.80}>" for u in urls if _scheme(u) not in ALLOWED_SCHEMES | {""}]
            style = tag.get("style")
            if isinstance(style, str) and re.search(r"javascript|expression\(|url\(", _IGNORED_IN_URL.sub("", style), re.I):
                bad.append(f"{rel}: <{tag.name} style={style!r:.80}>")
    assert not bad, "\n".join(bad)


def test_no_frames_objects_embeds_or_base_elements(pages: dict[Path, BeautifulSoup]) -> None:
    bad = [f"{rel}: <{tag.name}>" for rel, page in pages.items() for tag in page.find_all(sorted(FORBIDDEN_TAGS))]
    bad += [f"{rel}: <meta http-equiv=refresh>" for rel, page in pages.items()
            for tag in page.find_all("meta", attrs={"http-equiv": re.compile("refresh", re.I)})]
    assert not bad, "\n".join(bad)


def test_no_svg_file_carries_script_or_handlers(site: Site) -> None:
    bad = []
    for rel in files_of(site.out):
        if rel.suffix != ".svg":
            continue
        for el in ET.parse(site.out / rel).getroot().iter():
            if el.tag.rsplit("}", 1)[-1].lower() in {"script", "foreignobject"}:
                bad.append(f"{rel}: <{el.tag}>")
            bad += [f"{rel}: {k}={v!r}" for k, v in el.attrib.items()
                    if k.rsplit("}", 1)[-1].lower().startswith("on")
                    or k.rsplit("}", 1)[-1] == "href" and _scheme(v) not in ALLOWED_SCHEMES | {""}]
    assert not bad, "\n".join(bad)


def _readable(data: bytes) -> str:
    """A file's text as anyone could read it: gunzipped (Pagefind's index), entities and %-escapes decoded."""
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    text = data.decode("utf-8", errors="ignore")
    text = html.unescape(unquote(html.unescape(text)))
    return text.replace("\\u0040", "@").replace("\\x40", "@").casefold()


def test_the_email_address_appears_in_no_output_file(site: Site) -> None:
    local = EMAIL.split("@")[0]
    found = [rel.as_posix() for rel in files_of(site.out)
             if EMAIL in (text := _readable((site.out / rel).read_bytes())) or local in text]
    assert not found, f"{EMAIL} (or its local part) is readable in: {found}"


def test_the_name_is_shown_as_text_not_dropped(site: Site) -> None:
    page = BeautifulSoup((site.out / "members/mallory/index.html").read_text(encoding="utf-8"), "html5lib")
    assert NAME in page.find("h1").get_text()


def test_the_json_ld_carries_the_name_as_written(site: Site) -> None:
    page = BeautifulSoup((site.out / "members/mallory/index.html").read_text(encoding="utf-8"), "html5lib")
    data = [json.loads(s.string) for s in page.find_all("script", type="application/ld+json")]
    people = [d for d in data if d.get("@type") == "Person"]
    assert [p.get("name") for p in people] == [NAME]
