"""`connectory build`: load and check, compute the network, render, then write and index atomically."""

from __future__ import annotations

import os
import time
from contextlib import nullcontext
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from .errors import CheckFailed, UsageError
from .stopwatch import Stopwatch
from .uptodate import CACHE_DIR, Scan, folder_id, record, scan, unchanged
from .writer import Output, Written, one_build, recover

if TYPE_CHECKING:
    from . import incremental
    from .models import Community
    from .render import SiteInput

# Wraps the stream of outputs to show progress; gets the expected count. The CLI passes a progress bar.
Progress = Callable[[Iterable[Output | Written], int], Iterable[Output | Written]]


@dataclass(frozen=True)
class BuildSummary:
    """What one build made, for the summary line."""

    out: Path
    members: int
    pages: int  # HTML pages
    files: int  # every file written, the search index included
    seconds: float
    warnings: int
    unchanged: bool = False  # nothing changed since the last build into `out`: nothing was done (uptodate.py)
    incremental: dict[str, object] | None = None  # what an incremental build rendered (incremental.describe)


def build(source: Path, out: Path | None = None, *, base_url: str | None = None, drafts: bool = False,
          search: bool = True, progress: Progress | None = None,
          timings: dict[str, float] | None = None, jobs: int | None = None, cache: bool = False,
          clean: bool = False, discard: Callable[[Path], None] | None = None,
          since: Path | None = None) -> BuildSummary:
    """Build the site of the community in `source` into `out` (default source/site), replacing it whole.

    With `cache`, a build whose inputs are those of the last one into `out` does nothing
    (uptodate.py; the stamp lives in source/.connectory-cache/), and a build after an edit renders
    only what the edit can change, linking every other file from the previous site (incremental.py:
    `out` itself, or `since`, the previous build's folder when each build has its own, as in serve);
    `clean` builds everything anyway.

    `timings`, when given, receives the seconds of each stage: check, graph, render, write, index.
    `jobs` processes read the profiles and render the member pages (default: one per core); the
    output is the same for any number. `discard` gets the previous site's folder once the new one
    is in place (default: deleted before returning; writer.Trash deletes it while the caller reports).
    """
    started = time.perf_counter()
    lap = Stopwatch(timings)
    out = out if out is not None else source / "site"
    _refuse_dangerous_output(source, out)
    # One cached build at a time into a folder; it clears what killed ones left beside it.
    with one_build(out, source / CACHE_DIR) if cache else nullcontext():
        recover(out)  # a build killed mid-swap left the previous site aside: back first, whatever happens next
        scanned: Scan | None = None
        snap: incremental.Snapshot | None = None
        previous = (since if since is not None else out).absolute()
        if cache:  # the last build's stamp: with the same inputs and its site still in place, there is nothing to do
            options = {"out": str(out.absolute()), "base_url": base_url, "drafts": drafts, "search": search,
                       "pagefind": os.environ.get("PAGEFIND_BINARY_PATH")}
            scanned = scan(source, options)
            # With `since`, every build has a folder of its own: there is no "same folder" to find unchanged.
            last = None if clean or since is not None else unchanged(source / CACHE_DIR, out, scanned.inputs)
            if last is not None:
                return BuildSummary(out, last.members, last.pages, last.files, time.perf_counter() - started,
                                    last.warnings, unchanged=True)
        # Only now: a build with nothing to do (a command run after every save, say) does not pay
        # the third of a second that importing the rendering, the network and Pagefind's client takes.
        from . import incremental
        from .community import load_community
        from .graph import build_network
        from .parallel import cpu_count
        from .render import Context, SiteInput, normalise_base_url, render_site
        from .search import INDEX_FOLDER, BackgroundIndex, Reuse, pagefind_binary
        from .search_records import records
        from .theme import load_theme
        from .update import update_site
        from .writer import FolderWriter, link_tree, write_site

        if scanned is not None:
            snap = None if clean else incremental.load(source / CACHE_DIR, scanned.rest, previous,
                                                       vouched=since is not None)
        if search:
            pagefind_binary()  # fail before any work when the index cannot be built
        # Gather and check everything first: a broken profile stops the build before anything is written.
        jobs = cpu_count() if jobs is None else jobs
        loaded = load_community(source, drafts=drafts, jobs=jobs, records=scanned.profiles if scanned else None,
                                known=snap.reads if snap else None)
        if loaded.errors:
            raise CheckFailed(loaded.problems)
        lap("check")
        community = loaded.community
        base = normalise_base_url(base_url if base_url is not None else community.config.base_url)
        if base is None:
            raise UsageError(f"the base URL {base_url or community.config.base_url!r} is neither https://host/path/ "
                             "nor a path starting with /")
        site = SiteInput(community, build_network(community), load_theme(source, community.config.theme), base,
                         read_avatars(source, community), jobs=jobs)
        # Pagefind indexes the member records on its own thread while the pages render; the writer's
        # finish step moves its bundle into the new folder, and close() ends it on any error.
        index = BackgroundIndex.start(records(site), out) if search and snap is None else None
        try:
            ctx = Context.make(site)
            plan = incremental.plan(snap, ctx, search) if snap is not None else None
            if plan is not None and plan.stats is not None:
                incremental.reuse_stats(ctx, plan.stats)
            if search and index is None and (plan is None or plan.reindex):
                reuse = Reuse(previous / INDEX_FOLDER, incremental.unchanged_pages(community, plan)) \
                    if plan is not None else None
                index = BackgroundIndex.start(records(site), out, reuse)
            lap("graph")
            # Start writing now: every page into a fresh folder, the search index over it, then one swap;
            # or, for an incremental build of the same folder, the pages it makes staged and moved in (update.py).
            pages = [0]
            in_place = plan is not None and since is None
            linked = str(previous) if plan is not None and not in_place else None

            def outputs(folder: Path) -> Iterable[Output | Written]:
                # The render workers write the member and topic pages into the new folder themselves;
                # an incremental build keeps the rest of the previous site (linked into a new folder, or in place).
                store = FolderWriter(str(folder), linked, in_place)
                context = replace(ctx, store=store, only=plan.only if plan is not None else None)
                made = _count_pages(lap.inside(render_site(site, store=store, context=context), "render"), pages)
                return made if progress is None else progress(made, expected_outputs(site))

            if index is not None:
                finish = lap.timed(index.place, "index")
            elif search and linked is not None:  # records all as they were: the same index, in the new folder
                finish = lap.timed(lambda folder: link_tree(previous / INDEX_FOLDER, folder / INDEX_FOLDER), "index")
            else:
                finish = None
            if in_place:
                assert snap is not None
                files, made = update_site(outputs, out, snap.files, finish=finish, discard=discard)
            else:
                made = set()
                files = write_site(outputs, out, finish=finish, discard=discard, paths=made)
        finally:
            if index is not None:
                index.close()
        # Rendering happens as the writer asks for each page; the workers' own writing counts as render.
        lap("write", less=("render", "index"))
        files += sum(1 for p in (out / "pagefind").rglob("*") if p.is_file()) if search else 0
        warnings = len(loaded.problems) - len(loaded.errors)
        if scanned is not None:
            if since is None:
                record(source / CACHE_DIR, out, scanned.inputs, members=len(community.members), pages=pages[0],
                       files=files, warnings=warnings)
            built = folder_id(out)
            if built is not None:
                incremental.save(source / CACHE_DIR, incremental.taken(scanned.rest, built, loaded, ctx, search, made),
                                 snap)
        return BuildSummary(out, len(community.members), pages[0], files, time.perf_counter() - started,
                            warnings, incremental=incremental.describe(plan) if plan is not None else None)


def read_avatars(source: Path, community: Community) -> dict[str, bytes]:
    """The bytes of every member's own avatar file (checked by load_community: inside content/, capped)."""
    return {m.handle: (source / "content" / m.avatar).read_bytes() for m in community.members if m.avatar}


def expected_outputs(site: SiteInput) -> int:
    """About how many files render_site yields, for a progress bar's length."""
    c = site.community
    topics = {t for m in c.members for t in m.topics}
    return 3 * len(c.members) + len(topics) + len(c.pages) + len(site.theme.assets) + 12  # + introductions pages


def _count_pages(outputs: Iterable[Output | Written], counter: list[int]) -> Iterable[Output | Written]:
    for path, data in outputs:
        counter[0] += path.endswith(".html")
        yield path, data


def _refuse_dangerous_output(source: Path, out: Path) -> None:
    """The output folder is deleted and replaced: never let it be the community itself or hold it."""
    src, dst = source.resolve(), out.resolve()
    if dst == src or src.is_relative_to(dst) or dst.is_relative_to(src / "content") \
            or dst.is_relative_to(src / "themes"):
        raise UsageError(f"refusing to build into {out}: it would replace the community's own files; "
                         "choose a folder of its own, like site/")
