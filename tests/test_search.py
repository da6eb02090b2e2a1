"""The search index from member records: the same index the profile pages gave, built beside the
rendering, and never a Pagefind process or a half site left behind."""

from __future__ import annotations

import gzip
import json
import re
import stat
from pathlib import Path

import cbor2
import pytest

from conftest import WriteCommunity, profile
from generator.build import build, read_avatars
from generator.community import load_community
from generator.errors import ConnectoryError
from generator.render import SiteInput
from generator.search import index_site
from generator.search_records import bio_text, records

BIO = """Intro with **bold**, *em*, `code`, a [link](https://example.org/a_(b)) and ~~gone~~ words.
Second line of the paragraph & more: "quoted"

# My work

- first item
- second with [a link](https://example.org/)
  - nested *item*
- third item &amp; co

> A quote that runs
> over two lines

```python
print("code & <tags>")
```

![a chart](https://example.org/chart.png)

| Tool | Use |
|------|-----|
| pen  | writing |

## Deeper heading?

Last words end with a bracket (like this)
"""

MEMBERS = {
    "content/members/ada.md": profile("Ada Lovelace", pronouns="she/her", headline="Maths & poetry",
                                      location="London", fields="[mathematics]", interests="[poetry, engines]",
                                      offers="[{topic: review, detail: 'Careful reading of \"proofs\"'}, tea]",
                                      asks="[{topic: engines, detail: Time on a loom}]",
                                      open_to="[mentoring]").replace("Bio of Ada Lovelace.\n", BIO),
    "content/members/bob.md": profile("Bob  O'Brien", headline="Ends with a quote'", fields="[mathematics]"),
    "content/members/cy.md": profile("Cy", draft="true", location="Paris"),
}


def fragments(site: Path) -> dict[str, dict]:
    """Each indexed page's stored fragment (url, content, meta, filters), by URL."""
    found = {}
    for path in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        fragment = json.loads(gzip.decompress(path.read_bytes())[len(b"pagefind_dcd"):])
        found[fragment["url"]] = fragment
    return found


def words(site: Path) -> dict[tuple[str, str], list]:
    """Every (word, page URL) of the index with its weighted positions: what a search matches and ranks."""
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text())
    bundle = site / "pagefind"
    found = {}
    for language in entry["languages"].values():
        meta = cbor2.loads(gzip.decompress((bundle / f"pagefind.{language['hash']}.pf_meta").read_bytes())[12:])
        urls = [json.loads(gzip.decompress((bundle / "fragment" / f"{page}.pf_fragment").read_bytes())[12:])["url"]
                for page, _ in meta[1]]
        for chunk in (bundle / "index").glob("*.pf_index"):
            for word, pages, *_ in cbor2.loads(gzip.decompress(chunk.read_bytes())[12:])[0]:
                page = 0
                for step, *positions in pages:  # page numbers are stored as steps from the previous one
                    page += step
                    found[(word, urls[page])] = positions
    return found


@pytest.fixture(scope="module")
def two_indexes(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The same community (drafts included, under a sub-path) indexed from its records and from its pages."""
    root = tmp_path_factory.mktemp("search")
    for rel, text in MEMBERS.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    from_records = build(root, root / "records", drafts=True, base_url="/club/").out
    from_pages = build(root, root / "pages", drafts=True, base_url="/club/", search=False).out
    index_site(from_pages)
    return from_records, from_pages


def test_the_records_store_what_the_profile_pages_show(two_indexes: tuple[Path, Path]) -> None:
    from_records, from_pages = two_indexes
    assert fragments(from_records) == fragments(from_pages)


def test_the_records_index_every_word_with_the_weight_its_page_gives_it(two_indexes: tuple[Path, Path]) -> None:
    # Same words, same positions, same heading weights (a name ranks above a word in a bio).
    from_records, from_pages = two_indexes
    assert words(from_records) == words(from_pages)


def test_results_link_to_the_profile_and_show_the_avatar_under_the_base_path(two_indexes: tuple[Path, Path]) -> None:
    ada = fragments(two_indexes[0])["/members/ada/"]  # Pagefind's script adds the base path to the URL
    assert ada["meta"] == {"name": "Ada Lovelace", "title": "Ada Lovelace", "image": "/club/avatars/ada.svg"}
    assert ada["filters"] == {"field": ["mathematics"], "interest": ["poetry", "engines"],
                              "offers": ["review", "tea"], "asks": ["engines"], "location": ["London"],
                              "open_to": ["mentoring"]}


def test_drafts_are_indexed_only_when_the_build_includes_them(write_community: WriteCommunity) -> None:
    root = write_community({"content/members/ada.md": profile("Ada"),
                            "content/members/cy.md": profile("Cy", draft="true")})

    def urls(drafts: bool) -> list[str]:
        community = load_community(root, drafts=drafts).community
        return [r.url for r in records(SiteInput(community, None, None, "/", read_avatars(root, community)))]

    assert urls(False) == ["/members/ada/"]
    assert urls(True) == ["/members/ada/", "/members/cy/"]


def test_a_bio_reads_as_its_words_with_the_stops_between_blocks() -> None:
    assert bio_text("One *two*\n\nthree [four](https://x.org/)") == " One two.   three four. "


def test_a_bio_heading_carries_the_weight_of_its_place_in_the_page() -> None:
    # The bio's highest heading becomes an <h3> under "About": Pagefind weighs h3 at 5.
    assert re.sub(r"\s+", " ", bio_text("# Work")).strip() == "___PAGEFIND_AUTO_WEIGHT___5 Work. ___END_PAGEFIND_WEIGHT___"


def test_code_in_a_bio_is_kept_as_written() -> None:
    assert "a_b = *c*" in bio_text("```\na_b = *c*\n```\n")


# --- failures ---------------------------------------------------------------------------------------


@pytest.fixture
def previous_site(tmp_path: Path) -> Path:
    out = tmp_path / "out" / "site"
    out.mkdir(parents=True)
    (out / "index.html").write_text("previous")
    return out


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


@pytest.fixture
def pagefind_pids(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run Pagefind through a script that notes its process id in a file (one line per start)."""
    from pagefind.service import get_executable

    real = get_executable()
    log = tmp_path / "pids"
    script = tmp_path / "pagefind-noting"
    script.write_text(f'#!/bin/sh\necho $$ >> "{log}"\nexec "{real}" "$@"\n')
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(script))
    return log


def running(pids: Path) -> list[int]:
    """The noted Pagefind processes that still exist (none when none started: an interrupt can
    come before the indexing thread has launched Pagefind, and then it never does)."""
    alive = []
    for pid in map(int, pids.read_text().split() if pids.exists() else []):
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            continue
        if state != "Z":
            alive.append(pid)
    return alive


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads process states from /proc")
def test_a_failing_render_stops_pagefind_and_keeps_the_previous_site(write_community: WriteCommunity,
                                                                     previous_site: Path, pagefind_pids: Path) -> None:
    root = write_community({"content/members/ada.md": profile("Ada"),
                            "content/pages/topics.md": "---\ntitle: Topics\n---\nMine.\n"})  # two pages on one path
    before = snapshot(previous_site)
    with pytest.raises(ConnectoryError):
        build(root, previous_site)
    assert pagefind_pids.read_text().strip() and running(pagefind_pids) == []
    assert snapshot(previous_site) == before and leftovers(previous_site) == []


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads process states from /proc")
def test_ctrl_c_during_the_build_stops_pagefind_and_keeps_the_previous_site(write_community: WriteCommunity,
                                                                            previous_site: Path,
                                                                            pagefind_pids: Path) -> None:
    root = write_community({"content/members/ada.md": profile("Ada")})

    def interrupted(outputs, expected):
        yield from []
        raise KeyboardInterrupt

    before = snapshot(previous_site)
    with pytest.raises(KeyboardInterrupt):
        build(root, previous_site, progress=interrupted)
    assert running(pagefind_pids) == []
    assert snapshot(previous_site) == before and leftovers(previous_site) == []


def test_pagefind_dying_fails_the_build_and_keeps_the_previous_site(write_community: WriteCommunity,
                                                                   previous_site: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    dying = tmp_path / "pagefind-dies"
    dying.write_text("#!/bin/sh\nexit 3\n")  # as when the system ends it for want of memory
    dying.chmod(dying.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(dying))
    root = write_community({"content/members/ada.md": profile("Ada")})
    before = snapshot(previous_site)
    with pytest.raises(ConnectoryError, match="Pagefind"):
        build(root, previous_site)
    assert snapshot(previous_site) == before and leftovers(previous_site) == []


def test_the_index_is_in_place_once_the_build_returns(write_community: WriteCommunity, tmp_path: Path) -> None:
    root = write_community({"content/members/ada.md": profile("Ada", fields="[maths]")})
    out = build(root, tmp_path / "site").out
    assert (out / "pagefind" / "pagefind.js").is_file() and list(fragments(out)) == ["/members/ada/"]
    assert leftovers(out) == []  # nothing staged beside the site is left


def test_the_index_is_taken_only_once_pagefind_has_finished_writing_it(
        write_community: WriteCommunity, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import search

    waited: list[str] = []
    wait = search.wait_for_writes

    def noting(pid: int, folder: Path, timeout: float | None = None) -> None:
        wait(pid, folder, timeout)
        waited.append(Path(folder).name)
        assert Path(folder, "pagefind-entry.json").is_file()

    monkeypatch.setattr(search, "wait_for_writes", noting)
    root = write_community({"content/members/ada.md": profile("Ada", fields="[maths]")})
    out = build(root, tmp_path / "site").out
    index_site(build(root, tmp_path / "pages", search=False).out)
    assert waited == ["pagefind", "pagefind"]  # the build's index, then index_site's
    assert list(fragments(out)) == ["/members/ada/"]


WRITER = """
import sys, time
with open(sys.argv[1], "wb") as file:
    file.write(b"first half,")
    file.flush()
    print("open", flush=True)
    time.sleep(float(sys.argv[2]))
    file.write(b"second half")
time.sleep(30)
"""


def test_waiting_for_writes_lasts_until_no_file_in_the_folder_is_open(tmp_path: Path) -> None:
    # Pagefind's case: it has answered, but a writer thread still holds a file and its last bytes.
    import subprocess
    import sys

    from generator.search import wait_for_writes

    (tmp_path / "bundle").mkdir()
    target = tmp_path / "bundle" / "pagefind-ui.js"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(target), "0.5"], stdout=subprocess.PIPE)
    try:
        assert writer.stdout is not None and writer.stdout.readline() == b"open\n"
        wait_for_writes(writer.pid, tmp_path / "bundle")
        assert target.read_bytes() == b"first half,second half"
        assert writer.poll() is None  # it was the file being closed, not the process ending, that ended the wait
    finally:
        writer.kill()
        writer.wait()


def test_a_file_that_stays_open_is_an_error_after_the_time_allowed(tmp_path: Path) -> None:
    import subprocess
    import sys

    from generator.search import wait_for_writes

    (tmp_path / "bundle").mkdir()
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path / "bundle" / "stuck"), "30"],
                              stdout=subprocess.PIPE)
    try:
        assert writer.stdout is not None and writer.stdout.readline() == b"open\n"
        wait_for_writes(writer.pid, tmp_path / "other")  # a file elsewhere is no reason to wait
        with pytest.raises(ConnectoryError, match="did not finish writing.*stuck"):
            wait_for_writes(writer.pid, tmp_path / "bundle", timeout=0.3)
    finally:
        writer.kill()
        writer.wait()


def test_a_damaged_index_bundle_is_an_error_not_a_silent_skip(write_community: WriteCommunity, tmp_path: Path) -> None:
    from generator.search import canonicalise

    root = write_community({"content/members/ada.md": profile("Ada", fields="[maths]", location="Paris")})
    bundle = build(root, tmp_path / "site").out / "pagefind"
    canonicalise(bundle)  # an intact bundle: canonical already, so nothing moves
    assert len(list((bundle / "filter").iterdir())) > 0
    damaged = next((bundle / "filter").iterdir())
    damaged.write_bytes(damaged.read_bytes()[:20])
    with pytest.raises(ConnectoryError, match="damaged"):
        canonicalise(bundle)


# --- reusing the last index's fragments ------------------------------------------------------------


def some_records(count: int, changed: int | None = None) -> list:
    from generator.search_records import Record

    return [Record(f"/members/m{n:02d}/", f"Member {n:02d} offers {'edited ' if n == changed else ''}help with topic {n}.",
                   "en", {"title": f"Member {n:02d}"}, {"field": [f"field {n % 3}"]}) for n in range(count)]


def index_into(folder: Path, recs: list, reuse=None) -> Path:
    from generator.search import BackgroundIndex

    folder.mkdir(parents=True)
    index = BackgroundIndex.start(recs, folder, reuse)
    try:
        index.place(folder)
    finally:
        index.close()
    return folder / "pagefind"


def files_of(bundle: Path) -> dict[str, bytes]:
    return {p.relative_to(bundle).as_posix(): p.read_bytes() for p in sorted(bundle.rglob("*")) if p.is_file()}


def test_unchanged_pages_keep_their_fragment_files_and_the_index_is_the_one_pagefind_writes(tmp_path: Path) -> None:
    from generator.search import Reuse, page_fragments

    last = index_into(tmp_path / "last", some_records(12))
    after = some_records(12, changed=5)
    bundle = index_into(tmp_path / "new", after, Reuse(last, frozenset(range(12)) - {5}))
    assert files_of(bundle) == files_of(index_into(tmp_path / "clean", after))
    old, new = page_fragments(last), page_fragments(bundle)
    assert old is not None and new is not None and old[5] != new[5]
    inode = lambda b, name: (b / "fragment" / f"{name}.pf_fragment").stat().st_ino  # noqa: E731
    assert all(inode(bundle, new[n]) == inode(last, old[n]) for n in range(12) if n != 5)  # linked, not written
    assert inode(bundle, new[5]) != inode(last, old[5])


def test_a_fragment_name_that_moved_to_another_page_makes_pagefind_write_every_file(tmp_path: Path) -> None:
    from generator.search import Reuse, page_fragments

    recs = some_records(6)
    # The last index numbered the first two pages the other way round: page 0's kept file is page 1's now.
    last = index_into(tmp_path / "last", [recs[1], recs[0], *recs[2:]])
    bundle = index_into(tmp_path / "new", recs, Reuse(last, frozenset(range(6))))
    assert files_of(bundle) == files_of(index_into(tmp_path / "clean", recs))
    names, old = page_fragments(bundle), page_fragments(last)
    assert names is not None and old is not None
    assert all((bundle / "fragment" / f"{n}.pf_fragment").stat().st_ino
               != (last / "fragment" / f"{n}.pf_fragment").stat().st_ino for n in names)


def test_kept_fragments_no_page_uses_are_removed(tmp_path: Path) -> None:
    from generator.search import prune_linked, page_fragments

    bundle = index_into(tmp_path / "site", some_records(4))
    names = page_fragments(bundle)
    assert names is not None
    (bundle / "fragment" / "en_0000000.pf_fragment").write_bytes(b"left over")
    assert prune_linked(bundle, {names[0]: 0, names[3]: 3, "en_0000000": 2})
    assert not (bundle / "fragment" / "en_0000000.pf_fragment").exists()
    assert sorted(p.stem for p in (bundle / "fragment").iterdir()) == sorted(names)
    assert not prune_linked(bundle, {names[0]: 1})


def test_a_damaged_fragment_of_the_last_index_is_written_again_not_carried_on(tmp_path: Path) -> None:
    from generator.search import Reuse, page_fragments

    recs = some_records(5)
    last = index_into(tmp_path / "last", recs)
    names = page_fragments(last)
    assert names is not None
    damaged = last / "fragment" / f"{names[3]}.pf_fragment"
    damaged.write_bytes(damaged.read_bytes()[:-6])  # cut short, as a killed writer leaves it
    bundle = index_into(tmp_path / "new", recs, Reuse(last, frozenset(range(5))))
    assert files_of(bundle) == files_of(index_into(tmp_path / "clean", recs))
    assert (bundle / "fragment" / f"{names[3]}.pf_fragment").stat().st_ino != damaged.stat().st_ino
    assert (bundle / "fragment" / f"{names[2]}.pf_fragment").stat().st_ino \
        == (last / "fragment" / f"{names[2]}.pf_fragment").stat().st_ino
