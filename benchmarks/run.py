"""Measure `connectory build` on a synthetic community, against Hugo + Pagefind on the same profiles.

    python benchmarks/run.py --members 10000 [--runs 3] [--seed 1] [--mean-degree D] [--no-hugo]

The community is generated once per (members, seed, mean degree) under benchmarks/.work/ and
reused. Each build runs in a fresh process, so its peak memory is its own: our process, and
separately the largest process it started (Pagefind, or a render worker). Reported, each as the
median of --runs with its spread:

- a cold build (no cache), per stage: check (load + validate), graph, render, write, index;
- one profile edited, then rebuilt; and a rebuild with nothing changed;
- Hugo building the same profiles as plain pages, then Pagefind indexing them, and our cold
  build's time as a ratio to the two together (below 1.0: we are faster).

Results also go to benchmarks/.work/results-<members>.json.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):
    sys.path.insert(0, str(ROOT))

from benchmarks import hugo_baseline, synth

WORK = ROOT / "benchmarks" / ".work"
STAGES = ("check", "graph", "render", "write", "index")


def corpus(members: int, seed: int, mean_degree: float | None) -> tuple[Path, dict[str, Any]]:
    """The synthetic community for these parameters, generated on first use."""
    degree = synth.default_mean_degree(members) if mean_degree is None else mean_degree
    folder = WORK / f"corpus-n{members}-s{seed}-d{degree:g}-v{synth.VERSION}"
    done = folder / "stats.json"
    if not done.is_file():
        shutil.rmtree(folder, ignore_errors=True)
        print(f"generating {members:,} members into {folder.relative_to(ROOT)} ...", flush=True)
        stats = synth.generate(folder, members, seed, degree)
        done.write_text(json.dumps({**stats.__dict__, "mean_degree": stats.mean_degree}), encoding="utf-8")
    return folder, json.loads(done.read_text(encoding="utf-8"))


# --- the child: one build in a process of its own -------------------------------------------

def child(source: Path, out: Path) -> None:
    """Build once and print a JSON line: seconds per stage, total, and peak memory."""
    from generator.build import build

    params = inspect.signature(build).parameters
    options: dict[str, Any] = {}
    timings: dict[str, float] = {}
    if "timings" in params:
        options["timings"] = timings
    if "cache" in params:  # as `connectory build` does
        options["cache"] = True
    started = time.perf_counter()
    summary = build(source, out, **options)
    total = time.perf_counter() - started
    mine, theirs = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({
        "total": total, "stages": timings, "pages": summary.pages,
        "peak_self": mine.ru_maxrss * 1024, "peak_child": theirs.ru_maxrss * 1024,
        "incremental": getattr(summary, "incremental", None),
        # CPU seconds: on a busy machine wall time says little, these say what the build cost
        "cpu_self": mine.ru_utime + mine.ru_stime, "cpu_children": theirs.ru_utime + theirs.ru_stime,
    }))


def our_build(source: Path, out: Path, cold: bool) -> dict[str, Any]:
    """One build in a fresh interpreter; its JSON report, with the wall time seen from outside.

    Cold is a fresh clone's first build: no cache folder, no previous site."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", str(source), str(out)]
    if cold:
        shutil.rmtree(source / ".connectory-cache", ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"our build failed:\n{done.stderr[-3000:]}")
    report = json.loads(done.stdout.strip().splitlines()[-1])
    report["wall"] = time.perf_counter() - started  # interpreter start and imports included
    return report


# --- the parent: the measurements and the report --------------------------------------------

def spread(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "runs": len(values)}


# The edits measured: (name, what it changes, how). One member in the middle of the list each time.
EDITS = (
    ("bio", "a sentence added to the bio: the member's own pages and the search index",
     lambda text, run: text + f"\nEdited for benchmark run {run}.\n"),
    ("connection", "a connection's context changed: the pages two steps around, no search change",
     lambda text, run: re.sub(r"(?m)^(\s+context: ).*$", rf"\g<1>Met at benchmark run {run}", text, count=1)),
    ("headline", "the headline changed: the pages two steps around, and the search index",
     lambda text, run: re.sub(r"(?m)^headline: .*$", f"headline: Edited for benchmark run {run}", text, count=1)),
)


def edit_one_profile(source: Path, run: int, kind: str = "bio") -> tuple[Path, bytes]:
    """Make one edit of `kind` (EDITS) to one member in the middle of the list; returns what to put back."""
    profiles = sorted((source / "content" / "members").glob("*.md"))
    change = {name: how for name, _, how in EDITS}[kind]
    for target in profiles[len(profiles) // 2 + run:]:  # the first, from the middle on, with the field and connections
        original = target.read_bytes()
        edited = change(original.decode("utf-8"), run)
        if edited != original.decode("utf-8") and "\n    context: " in edited:
            target.write_bytes(edited.encode("utf-8"))
            return target, original
    raise SystemExit(f"no profile in the second half of the corpus has what the {kind} edit changes")


def measure_ours(source: Path, out: Path, runs: int, incremental_runs: int) -> dict[str, Any]:
    cold = [our_build(source, out, cold=True) for _ in range(runs)]
    result: dict[str, Any] = {
        "cold": spread([r["wall"] for r in cold]),
        "cold_in_process": spread([r["total"] for r in cold]),
        "stages": {s: spread([r["stages"][s] for r in cold]) for s in STAGES if all(s in r["stages"] for r in cold)},
        "peak_self": max(r["peak_self"] for r in cold),
        "peak_child": max(r["peak_child"] for r in cold),
        "pages": cold[0]["pages"],
    }
    edited: dict[str, list[dict[str, Any]]] = {kind: [] for kind, _, _ in EDITS}
    unchanged = []
    for run in range(incremental_runs):
        for kind in edited:
            target, original = edit_one_profile(source, run, kind)
            try:
                edited[kind].append(our_build(source, out, cold=False))
            finally:
                target.write_bytes(original)
            our_build(source, out, cold=False)  # back to the original (itself an incremental build)
        unchanged.append(our_build(source, out, cold=False))
    # In-process time (what `serve` pays per save); the wall time adds Python's start and imports.
    if unchanged:
        result["edits"] = {kind: {"in_process": spread([r["total"] for r in runs]),
                                  "wall": spread([r["wall"] for r in runs]),
                                  "stages": {s: spread([r["stages"].get(s, 0.0) for r in runs]) for s in STAGES},
                                  "plan": runs[0].get("incremental"),
                                  "peak_self": max(r["peak_self"] for r in runs)}
                           for kind, runs in edited.items()}
        result["unchanged"] = spread([r["total"] for r in unchanged])
        result["unchanged_wall"] = spread([r["wall"] for r in unchanged])
    result["cpu"] = spread([r["cpu_self"] + r["cpu_children"] for r in cold])
    return result


def measure_hugo(source: Path, runs: int) -> dict[str, Any] | None:
    if hugo_baseline.hugo_binary() is None:
        return None
    work = hugo_baseline.write_hugo_site(source, WORK / f"hugo-{source.name}")
    results = [hugo_baseline.run_baseline(work) for _ in range(runs)]
    return {
        "hugo": spread([h.seconds for h, _, _ in results]),
        "pagefind": spread([p.seconds for _, p, _ in results]),
        "both": spread([h.seconds + p.seconds for h, p, _ in results]),
        "cpu": spread([h.cpu_seconds + p.cpu_seconds for h, p, _ in results]),
        "peak_hugo": max(h.peak_bytes for h, _, _ in results),
        "peak_pagefind": max(p.peak_bytes for _, p, _ in results),
        "pages": results[0][2],
    }


def machine() -> dict[str, Any]:
    """What the figures came from."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return {"cpus": os.cpu_count(), "cpu": cpu, "memory_gib": round(memory / 2**30, 1),
            "python": platform.python_version(), "load_before": os.getloadavg()[0]}


def _s(stat: dict[str, float]) -> str:
    return f"{stat['median']:7.2f} s  ({stat['min']:.2f}-{stat['max']:.2f}, {stat['runs']} runs)"


def report(result: dict[str, Any]) -> str:
    ours, hugo, mib = result["ours"], result["hugo"], 2**20
    lines = [f"{result['members']:,} members, mean degree {result['corpus']['mean_degree']:.1f}; "
             f"{result['machine']['cpus']} x {result['machine']['cpu']}, {result['machine']['memory_gib']} GiB",
             f"ours: cold build       {_s(ours['cold'])}   {ours['pages']:,} pages",
             *(f"        {stage:15s}{_s(stat)}" for stage, stat in ours["stages"].items()),
             f"      CPU, all processes {_s(ours['cpu'])}",
             *([line for kind, e in ours["edits"].items() for line in (
                 f"      {kind + ' edited':18s} {_s(e['in_process'])} in process; {e['wall']['median']:.2f} s as "
                 f"a command; rendered again: {e['plan']}",
                 "        " + ", ".join(f"{s} {v['median']:.2f}" for s, v in e["stages"].items())
                 + (f"; peak {e['peak_self'] / mib:,.0f} MiB ours" if "peak_self" in e else ""))]
               if "edits" in ours else []),
             *([f"      nothing changed    {_s(ours['unchanged'])} in process; "
                f"{ours['unchanged_wall']['median']:.2f} s as a command"] if "unchanged" in ours else []),
             f"      peak memory        {ours['peak_self'] / mib:,.0f} MiB ours, "
             f"{ours['peak_child'] / mib:,.0f} MiB largest child"]
    if hugo:
        ratio = ours["cold"]["median"] / hugo["both"]["median"]
        lines += [f"hugo: build            {_s(hugo['hugo'])}   {hugo['pages']:,} pages, "
                  f"peak {hugo['peak_hugo'] / mib:,.0f} MiB",
                  f"      pagefind           {_s(hugo['pagefind'])}   peak {hugo['peak_pagefind'] / mib:,.0f} MiB",
                  f"      together           {_s(hugo['both'])}",
                  f"      CPU, both          {_s(hugo['cpu'])}",
                  f"ratio (ours / hugo + pagefind): {ratio:.2f} wall, "
                  f"{ours['cpu']['median'] / hugo['cpu']['median']:.2f} CPU"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--mean-degree", type=float, default=None)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--incremental-runs", type=int, default=None,
                        help="runs of the edited and unchanged rebuilds (default: --runs)")
    parser.add_argument("--no-hugo", action="store_true", help="skip the Hugo + Pagefind baseline")
    parser.add_argument("--child", nargs=2, type=Path, metavar=("SOURCE", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(*args.child)
        return
    source, stats = corpus(args.members, args.seed, args.mean_degree)
    result: dict[str, Any] = {"members": args.members, "seed": args.seed, "corpus": stats, "machine": machine()}
    result["hugo"] = None if args.no_hugo else measure_hugo(source, args.runs)
    incremental = args.runs if args.incremental_runs is None else args.incremental_runs
    result["ours"] = measure_ours(source, WORK / f"site-{source.name}", args.runs, incremental)
    text = report(result)
    print(text)
    (WORK / f"results-{args.members}.json").write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
