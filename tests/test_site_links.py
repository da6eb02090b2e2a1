"""Every internal link and asset of the built example resolves, under `/` and under a sub-path."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.community import load_community
from generator.config import load_config
from site_helpers import CSS_URL, EXAMPLE, SUB_PATH_BASE, Site, build_site, files_of, html_files, ids_of, page_refs, soup

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
# The example's own base URL: a host at the root path, so its sitemap and feed are absolute.
DEFAULT_BASE = load_config(EXAMPLE)[0].base_url


@pytest.fixture(scope="module", params=[DEFAULT_BASE, SUB_PATH_BASE], ids=["root", "sub-path"])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The example community, built as it is (at the root of its host) and for https://example.org/community/."""
    out = tmp_path_factory.mktemp("site") / "out"
    args = [] if request.param == DEFAULT_BASE else ["--base-url", request.param]
    return Site(build_site(EXAMPLE, out, *args), request.param)


@dataclass(frozen=True)
class Parsed:
    """What the link tests read from one HTML page, parsed once per build."""

    refs: tuple[tuple[str, str], ...]  # (what, URL)
    ids: frozenset[str]


@pytest.fixture(scope="module")
def pages(site: Site) -> dict[Path, Parsed]:
    """Every HTML page of the build with its URLs and ids."""
    parsed = {}
    for rel in html_files(site.out):
        page = soup(site.out / rel)
        parsed[rel] = Parsed(tuple(page_refs(page)), frozenset(ids_of(page)))
    return parsed


def _broken(site: Site, refs: list[tuple[Path, str, str]]) -> list[str]:
    """Each (file, what, URL) whose URL does not lead to a file of the site, described."""
    broken = []
    for rel, what, url in refs:
        target, _, problem = site.resolve(rel, url)
        if problem:
            broken.append(f"{rel}: {what} {url!r} {problem}")
    return broken


def test_every_internal_href_and_src_resolves_to_a_file(site: Site, pages: dict[Path, Parsed]) -> None:
    refs = [(rel, what, url) for rel, page in pages.items() for what, url in page.refs]
    assert refs, "the site has no links at all"
    broken = _broken(site, refs)
    assert not broken, f"{len(broken)} broken links:\n" + "\n".join(broken[:50])


def test_every_css_url_resolves_to_a_file(site: Site) -> None:
    refs = [(rel, "url()", m.group(2)) for rel in files_of(site.out) if rel.suffix == ".css"
            and not rel.parts[0] == "pagefind"
            for m in CSS_URL.finditer((site.out / rel).read_text(encoding="utf-8"))
            if not m.group(2).startswith("data:")]
    broken = _broken(site, refs)
    assert not broken, "\n".join(broken)


def test_every_link_to_a_fragment_finds_its_id(site: Site, pages: dict[Path, Parsed]) -> None:
    missing = []
    for rel, page in pages.items():
        for what, url in page.refs:
            target, fragment, problem = site.resolve(rel, url)
            if target in pages and fragment and not problem and fragment not in pages[target].ids:
                missing.append(f"{rel}: {what} {url!r}: no id {fragment!r} in {target}")
    assert not missing, "\n".join(missing[:50])


def test_root_absolute_links_carry_the_base_path(site: Site, pages: dict[Path, Parsed]) -> None:
    leaving = [f"{rel}: {url}" for rel, page in pages.items() for _, url in page.refs
               if url.startswith("/") and not url.startswith("//") and not url.startswith(site.base_path)]
    assert not leaving, "\n".join(leaving[:50])


def test_the_home_page_links_every_published_member(site: Site, pages: dict[Path, Parsed]) -> None:
    members = load_community(EXAMPLE).community.members
    home = Path("index.html")
    linked = {site.resolve(home, url)[0] for _, url in pages[home].refs}
    missing = [m.handle for m in members if Path("members", m.handle, "index.html") not in linked]
    assert len(members) > 40 and not missing


def test_the_site_has_its_fixed_files(site: Site) -> None:
    wanted = ["index.html", "404.html", "sitemap.xml", "robots.txt", "feed.xml", "schema/profile.json",
              "topics/index.html", "about/index.html"]
    assert [w for w in wanted if not (site.out / w).is_file()] == []


def test_every_sitemap_location_is_a_page_of_the_site(site: Site) -> None:
    root = ET.parse(site.out / "sitemap.xml").getroot()
    locs = [el.text or "" for el in root.iter(f"{SITEMAP}loc")]
    assert len(locs) > 40
    broken = [loc for loc in locs if site.resolve(Path("sitemap.xml"), loc)[0] is None]
    assert not broken, "\n".join(broken[:20])


def test_every_feed_link_is_a_page_of_the_site(site: Site) -> None:
    root = ET.parse(site.out / "feed.xml").getroot()
    assert root.tag == f"{ATOM}feed"
    hrefs = [el.get("href", "") for el in root.iter(f"{ATOM}link")]
    entries = list(root.iter(f"{ATOM}entry"))
    assert entries and hrefs
    broken = [h for h in hrefs if site.resolve(Path("feed.xml"), h)[2]]
    assert not broken, "\n".join(broken)


def test_robots_txt_names_the_sitemap_under_the_base_url(site: Site) -> None:
    robots = (site.out / "robots.txt").read_text(encoding="utf-8")
    sitemap = [line.split(":", 1)[1].strip() for line in robots.splitlines() if line.lower().startswith("sitemap:")]
    assert sitemap == [site.base_url + "sitemap.xml"]
