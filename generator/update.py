"""An incremental build's writing (incremental.py): the site updated in place, journaled.

A full build writes a whole new folder and swaps it in (writer.py). An incremental build
changes a few dozen files of tens of thousands; making a new folder of links and deleting the
old one costs more than the rendering (at 10,000 members, creating 23,000 folders and later
deleting 56,000 entries took 5-15 s on this machine). So here:

1. Every file the build makes is written into a stage folder beside the site; the files it keeps
   are the site's own, untouched. A failure, Ctrl-C included, removes the stage: the site is
   exactly as it was.
2. Then a journal beside the site lists what to move in and what to delete, and is renamed into
   place (the commit point). Each file is moved in with one rename, so a visitor's server reads
   either the old or the new file, never half of one. The search bundle's files are named by
   their content (Pagefind's fragments and index chunks, and our canonicalised filters and
   metadata), so only new names move in (the few other files, when their bytes differ), and
   pagefind-entry.json, which points at the new metadata, last.
3. Files the build no longer makes are deleted, the journal removed.

If the process dies after the commit point, `finish_update` (run by writer.recover at the start
of every build) applies the journal again: every step can run twice. Until then the site may
mix old and new pages, as any in-place generator's does while it writes; the next build
completes it before anything else.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import AbstractSet, Callable, Iterable

from .writer import Output, Written, filling, remove_tree

ENTRY = "pagefind-entry.json"  # names the bundle's metadata file: switches searches to a new bundle
INDEX = "pagefind"
NAMED_BY_CONTENT = ("fragment/", "index/", "filter/")  # Pagefind's, and search.canonicalise's filters


def journal_path(out: Path) -> Path:
    return out.parent / f".{out.name}.journal"


def update_site(outputs: Callable[[Path], Iterable[Output | Written]], out: Path, known: AbstractSet[str],
                finish: Callable[[Path], None] | None = None,
                discard: Callable[[Path], None] | None = None) -> tuple[int, set[str]]:
    """Write what `outputs(stage)` makes into a stage folder, then move it into `out`; delete the
    files of `known` (the site's files, its search bundle aside) that it no longer makes.

    The outputs name every file of the site: those made, and those kept as they are (Written).
    Returns how many, and their paths. `discard` gets the stage (what is left of it) at the end."""
    out = out.absolute()
    finish_update(out)  # (writer.recover runs it too, at the start of every build)
    stage = Path(tempfile.mkdtemp(prefix=f".{out.name}.stage-", dir=out.parent))
    paths: set[str] = set()
    with filling(stage, outputs, paths) as count:  # any failure before the commit point removes the stage
        if finish is not None:
            finish(stage)
        moves, deletions = _plan(stage, out, known, paths)
        journal = {"stage": str(stage), "moves": moves, "deletions": deletions}
        _write_journal(out, journal)  # the commit point
    _apply(out, journal)
    journal_path(out).unlink()
    (discard or remove_tree)(stage)
    return count, paths


def finish_update(out: Path) -> bool:
    """Complete an update a dead build committed but did not finish; True when there was one."""
    path = journal_path(out.absolute())
    try:
        journal = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return False
    except (OSError, ValueError):  # a journal is renamed in whole, so this is not one of ours
        return False
    _apply(out.absolute(), journal)
    path.unlink()
    remove_tree(Path(journal["stage"]))
    return True


def _plan(stage: Path, out: Path, known: AbstractSet[str], made: AbstractSet[str]) -> tuple[list[str], list[str]]:
    """The files to move in (pages first, the search bundle's entry file last) and to delete."""
    moves = sorted(made_files(stage, skip=INDEX))
    deletions = sorted(known - made)
    bundle = stage / INDEX
    if bundle.is_dir():
        new = set(made_files(bundle))
        old = set(made_files(out / INDEX)) if (out / INDEX).is_dir() else set()
        same = {rel for rel in new & old if _same(rel, bundle / rel, out / INDEX / rel)}
        moves += sorted(f"{INDEX}/{rel}" for rel in new - same - {ENTRY})
        if ENTRY in new:
            moves.append(f"{INDEX}/{ENTRY}")  # switches searches to the new bundle, whose files are all in
        deletions += sorted(f"{INDEX}/{rel}" for rel in old - new)
    return moves, deletions


def made_files(folder: Path, skip: str | None = None) -> Iterable[str]:
    """The files under folder, as paths relative to it (`skip`: a top-level folder left out)."""
    for here, dirs, names in os.walk(folder):
        if skip is not None and here == os.fspath(folder) and skip in dirs:
            dirs.remove(skip)
        rel = os.path.relpath(here, folder)
        for name in names:
            yield name if rel == "." else f"{rel}/{name}".replace(os.sep, "/")


def _same(rel: str, a: Path, b: Path) -> bool:
    """Whether two bundle files at one path are the same: by name (and size) where the name is
    made from the content, by their bytes for the few others (scripts, styles, the entry file)."""
    try:
        if rel.startswith(NAMED_BY_CONTENT) or (rel.startswith("pagefind.") and rel.endswith(".pf_meta")):
            return a.stat().st_size == b.stat().st_size
        return a.read_bytes() == b.read_bytes()
    except OSError:
        return False


def _write_journal(out: Path, journal: dict[str, object]) -> None:
    path = journal_path(out)
    part = path.with_name(path.name + ".part")
    with open(part, "w", encoding="utf-8") as f:
        json.dump(journal, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(part, path)


def _apply(out: Path, journal: dict[str, object]) -> None:
    """Move the staged files in and delete the dropped ones; safe to run again after a crash."""
    stage = Path(str(journal["stage"]))
    made: set[str] = set()
    for rel in journal["moves"]:  # type: ignore[attr-defined]
        source = stage / rel
        if not source.exists():
            continue  # moved by the run that died
        parent = rel.rpartition("/")[0]
        if parent and parent not in made:
            (out / parent).mkdir(parents=True, exist_ok=True)
            made.add(parent)
        os.replace(source, out / rel)
    emptied: set[Path] = set()
    for rel in journal["deletions"]:  # type: ignore[attr-defined]
        try:
            (out / rel).unlink()
        except FileNotFoundError:
            pass
        emptied.update((out / rel).parents)
    for folder in sorted((f for f in emptied if f != out and out in f.parents), key=lambda f: -len(f.parts)):
        try:
            folder.rmdir()  # only if the deletions left it empty
        except OSError:
            pass
