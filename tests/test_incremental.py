"""Rebuilding after edits: a build with the up-to-date stamp is byte-identical to a clean one after each."""

from __future__ import annotations

from pathlib import Path

from conftest import WriteCommunity, profile
from generator.build import build

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


def test_a_stamped_build_is_byte_identical_to_a_clean_one_after_each_edit(
        write_community: WriteCommunity, tmp_path: Path) -> None:
    source = write_community(MEMBERS, root=tmp_path / "community")
    build(source, tmp_path / "cached", search=False, cache=True)
    for step, files in EDITS:
        apply(source, write_community, files)
        cached = build(source, tmp_path / "cached", search=False, cache=True)
        build(source, tmp_path / "clean", search=False, jobs=1)
        assert not cached.unchanged, step
        assert tree(tmp_path / "cached") == tree(tmp_path / "clean"), step


def test_the_paths_an_incremental_build_keeps_are_the_pages_a_member_gets(
        write_community: WriteCommunity, tmp_path: Path) -> None:
    """render.member_paths names what an incremental build links from the previous site: it must be
    exactly what member_chunk renders for each member, drafts included."""
    from generator.community import load_community
    from generator.graph import build_network
    from generator.render import Context, SiteInput, member_chunk, member_paths
    from generator.theme import load_theme

    files = dict(MEMBERS)
    files["content/members/dee.md"] = profile("Dee Draft", draft="true", connections="[ada]")
    source = write_community(files, root=tmp_path / "community")
    community = load_community(source, drafts=True).community
    ctx = Context.make(SiteInput(community, build_network(community), load_theme(source, "custom"), "/"))
    assert any(m.draft for m in community.members)
    for m in community.members:
        assert tuple(path for path, _ in member_chunk(ctx, [m.handle])) == member_paths(m), m.handle


def test_the_build_command_says_what_an_incremental_build_rendered_again(
        write_community: WriteCommunity, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from generator.cli import cli

    source = write_community(MEMBERS, root=tmp_path / "community")
    runner = CliRunner()
    first = runner.invoke(cli, ["build", "--source", str(source)])
    assert first.exit_code == 0, first.output
    assert "rendered again" not in first.output
    apply(source, write_community, {"content/members/zed.md": profile("Zed Alone", interests="[poetry]",
                                                                      location="Lagos")})
    second = runner.invoke(cli, ["build", "--source", str(source)])
    assert second.exit_code == 0, second.output
    assert "(1 profile changed: the pages of 1 member and 0 topics rendered again, the rest kept; " \
           "search index rebuilt)" in second.output


def test_what_a_connection_says_renders_only_its_two_members_pages_and_their_path_contexts(
        write_community: WriteCommunity, tmp_path: Path) -> None:
    """A changed context rewrites the pages of the two people it joins and the path page's
    hop-context file holding their connections; every other file keeps its inode (not rewritten)."""
    def ada(context: str) -> str:
        return profile("Ada Lovelace", connections=f"[{{handle: babbage, context: {context}}}]",
                       asks="[compilers]", interests="[poetry]")

    source = write_community({**MEMBERS, "content/members/ada.md": ada("Met at the Analytical Society")},
                             root=tmp_path / "community")
    out = tmp_path / "cached"
    build(source, out, search=False, cache=True)
    before = {p.relative_to(out).as_posix(): p.stat().st_ino for p in out.rglob("*") if p.is_file()}
    apply(source, write_community, {"content/members/ada.md": ada("Met at a lecture on engines")})
    cached = build(source, out, search=False, cache=True)
    build(source, tmp_path / "clean", search=False, jobs=1)
    assert tree(out) == tree(tmp_path / "clean")
    assert cached.incremental == {"changed": 1, "members": 2, "topics": 0, "reindex": False}
    after = {p.relative_to(out).as_posix(): p.stat().st_ino for p in out.rglob("*") if p.is_file()}
    assert after.keys() == before.keys()
    assert b"Met at a lecture on engines" in (out / "graph" / "contexts-0.json").read_bytes()
    assert {path for path in after if after[path] != before[path]} == {
        "members/ada/index.html", "members/ada/introductions/index.html",
        "members/babbage/index.html", "members/babbage/introductions/index.html", "graph/contexts-0.json"}


def saved_reads(source: Path) -> dict:
    """The reads in the snapshot the last cached build saved, by file name."""
    return snapshot_file(source, reads=True)[1]


def snapshot_file(source: Path, reads: bool = False) -> tuple[dict, dict]:
    """The head of the one snapshot file in the cache folder, and its reads by file name when asked."""
    import pickle

    from generator.uptodate import CACHE_DIR

    [path] = (source / CACHE_DIR).glob("snapshot-*.pickle")
    with open(path, "rb") as f:
        _, head = pickle.load(f)
        return head, {name: (record, read) for name, record, read in
                      (pickle.load(f) for _ in range(head["reads"] if reads else 0))}


def test_the_snapshot_after_an_edit_pickles_only_what_changed_and_reads_as_a_full_one(
        write_community: WriteCommunity, tmp_path: Path, monkeypatch) -> None:
    import pickle

    from generator import incremental

    source = write_community(MEMBERS, root=tmp_path / "community")
    build(source, tmp_path / "cached", search=False, cache=True)
    apply(source, write_community, {"content/members/zed.md": profile("Zed Alone", interests="[poetry, chess]")})
    dumped: list[object] = []
    dump = pickle.dump
    monkeypatch.setattr(incremental.pickle, "dump", lambda value, *a, **k: (dumped.append(value), dump(value, *a, **k)))
    assert build(source, tmp_path / "cached", search=False, cache=True).incremental is not None
    assert [value[0] for value in dumped[1:]] == ["zed.md"]  # the head, then the one profile edited
    copied = saved_reads(source)
    monkeypatch.undo()
    build(source, tmp_path / "other", search=False, cache=True, clean=True)
    assert copied == saved_reads(source) and len(copied) == 5


def test_a_snapshot_file_replaced_since_it_was_loaded_is_not_copied_from(
        write_community: WriteCommunity, tmp_path: Path) -> None:
    from dataclasses import replace

    from generator import incremental
    from generator.uptodate import CACHE_DIR, folder_id

    source = write_community(MEMBERS, root=tmp_path / "community")
    build(source, tmp_path / "site", search=False, cache=True)
    cache = source / CACHE_DIR
    rest = snapshot_file(source)[0]["rest"]
    loaded = incremental.load(cache, rest, tmp_path / "site")
    assert loaded is not None and loaded.origin is not None
    # Another build (another folder, the same options) saves its own snapshot in between.
    other = replace(loaded, reads={name: loaded.reads[name] for name in ["ada.md", "zed.md"]})
    incremental.save(cache, other)
    incremental.save(cache, loaded, previous=loaded)  # its spans point into a file that is gone
    again = incremental.load(cache, rest, tmp_path / "site")
    assert again is not None and again.reads == loaded.reads and folder_id(tmp_path / "site") is not None

