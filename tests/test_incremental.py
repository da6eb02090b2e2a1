"""The incremental build: a cached build is byte-identical to a clean one, and reuses what it can."""

from __future__ import annotations

from pathlib import Path

from conftest import WriteCommunity, profile
from generator.build import build
from generator.community import load_community
from generator.graph import build_network
from generator.render import SiteInput, render_site
from generator.render_cache import CACHE_DIR, PageCache
from generator.theme import load_theme

MEMBERS = {
    "content/site.yaml": "title: Incremental\ntheme: custom\n",
    "content/members/ada.md": profile("Ada Lovelace", connections="[babbage]", asks="[compilers]",
                                      interests="[poetry]"),
    "content/members/babbage.md": profile("Charles Babbage", connections="[ada, mary]"),
    "content/members/grace.md": profile("Grace Hopper", connections="[babbage]", offers="[compilers]"),
    "content/members/mary.md": profile("Mary Somerville", connections="[babbage]", fields="[astronomy]"),
    "content/members/zed.md": profile("Zed Alone", interests="[poetry]"),
    "themes/custom/templates/member.html":
        '{% extends "default/member.html" %}{% block description %}<meta name="x" content="1">{% endblock %}',
}

# Each step edits the community; after every one a cached and a clean build must agree.
EDITS = [
    ("profile added", {"content/members/lin.md": profile("Lin Wei", connections="[zed]", offers="[poetry]")}),
    # babbage lists grace back: ada (two steps from grace) now gets grace as a suggestion
    ("connection confirmed", {"content/members/babbage.md": profile("Charles Babbage",
                                                                    connections="[ada, mary, grace]")}),
    ("member removed", {"content/members/mary.md": None,
                        "content/members/babbage.md": profile("Charles Babbage", connections="[ada, grace]")}),
    ("theme template changed", {"themes/custom/templates/member.html":
                                '{% extends "default/member.html" %}{% block description %}'
                                '<meta name="x" content="2">{% endblock %}'}),
]


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def apply(source: Path, write_community: WriteCommunity, files: dict[str, str | None]) -> None:
    for rel, text in files.items():
        if text is None:
            (source / rel).unlink()
        else:
            write_community({rel: text}, root=source)


def test_a_cached_build_is_byte_identical_to_a_clean_one_after_each_edit(
        write_community: WriteCommunity, tmp_path: Path) -> None:
    source = write_community(MEMBERS, root=tmp_path / "community")
    build(source, tmp_path / "cached", search=False, cache=True)
    for step, files in EDITS:
        apply(source, write_community, files)
        cached = build(source, tmp_path / "cached", search=False, cache=True)
        build(source, tmp_path / "clean", search=False, jobs=1)
        assert cached.reused > 0, step
        assert tree(tmp_path / "cached") == tree(tmp_path / "clean"), step


def test_the_cache_lives_in_the_community_folder(write_community: WriteCommunity, tmp_path: Path) -> None:
    source = write_community(MEMBERS, root=tmp_path / "community")
    build(source, tmp_path / "out", search=False, cache=True)
    assert any((source / CACHE_DIR).rglob("*"))


def test_clean_reuses_nothing(write_community: WriteCommunity, tmp_path: Path) -> None:
    source = write_community(MEMBERS, root=tmp_path / "community")
    build(source, tmp_path / "out", search=False, cache=True)
    assert build(source, tmp_path / "out", search=False, cache=True, clean=True).reused == 0


def rendered_after(source: Path, write_community: WriteCommunity, files: dict[str, str | None]) -> list[str]:
    """The pages a cached render re-renders after the edit (one process, so every one is seen)."""

    def render(cache: PageCache) -> None:
        community = load_community(source).community
        site = SiteInput(community, build_network(community), load_theme(source, "custom"))
        for _ in render_site(site, cache=cache):
            pass

    render(PageCache(source / CACHE_DIR))
    apply(source, write_community, files)
    cache = PageCache(source / CACHE_DIR)
    render(cache)
    return cache.rendered


def test_editing_one_bio_re_renders_that_profile_but_not_an_unrelated_one(
        write_community: WriteCommunity, tmp_path: Path) -> None:
    source = write_community(MEMBERS, root=tmp_path / "community")
    rendered = rendered_after(source, write_community, {
        "content/members/zed.md": profile("Zed Alone", interests="[poetry]").replace("Bio of", "New bio of")})
    assert "member.html members/zed/" in rendered
    assert "member.html members/mary/" not in rendered


def test_a_confirmed_connection_re_renders_the_profile_two_steps_away(
        write_community: WriteCommunity, tmp_path: Path) -> None:
    source = write_community(MEMBERS, root=tmp_path / "community")
    rendered = rendered_after(source, write_community, dict(EDITS[1][1]))
    assert "member.html members/ada/" in rendered  # grace is now one introduction away from ada
