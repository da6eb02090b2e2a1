"""Time and memory of the introductions at scale (a benchmark, not a test).

    python benchmarks/intros.py --members 100000 --degree 20 --runs 3

Builds a synthetic community directly as Member objects (no files), then times each stage
(network, index, every member's top 10, introductions to make, best matches, stats, graph
file) and reports the median of the runs. Peak memory: the process's maximum resident size,
and one extra traced run (tracemalloc slows things, so it is not timed) for what each stage
allocates at its peak on top of what was already there.
"""

from __future__ import annotations

import argparse
import gzip
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synthetic import community  # noqa: E402
from generator.graph import build_network  # noqa: E402
from generator.introductions import pairings, reach_all  # noqa: E402
from generator.matches import best_matches  # noqa: E402
from generator.netindex import build_index  # noqa: E402
from generator.paths import context_files, graph_file  # noqa: E402
from generator.pictures import circle_svg, legend  # noqa: E402
from generator.render_network import CIRCLE, LIST, NetworkView  # noqa: E402
from generator.stats import network_stats  # noqa: E402


def _mib(n: float) -> str:
    return f"{n / 2**20:,.0f} MiB"


def _rss() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


def timed(label: str, runs: int, fn: Callable[[], Any]) -> Any:
    """Run fn `runs` times; print the median wall and CPU time, and the peak RSS so far.

    CPU time is printed too because on a shared machine wall time also counts other processes.
    """
    walls, cpus, result = [], [], None
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    spread = f" (runs: {', '.join(f'{t:.1f}' for t in walls)})" if runs > 1 else ""
    print(f"{label:<44} wall {statistics.median(walls):7.2f} s, cpu {statistics.median(cpus):7.2f} s{spread}"
          f"   peak RSS {_mib(_rss())}", flush=True)
    return result


def traced(label: str, fn: Callable[[], Any]) -> None:
    """What fn allocates at its peak, beyond what already exists."""
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{label:<44} allocates at most {_mib(peak)} (tracemalloc)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--degree", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--k", type=int, default=10)
    args = parser.parse_args()
    print(f"synthetic community: {args.members:,} members, mean degree {args.degree}; "
          f"median of {args.runs} run(s)", flush=True)
    c = timed("generate members", 1, lambda: community(args.members, args.degree))
    network = timed("build_network", 1, lambda: build_network(c))
    ix = timed("build_index", 1, lambda: build_index(c, network))
    degrees = sorted(len(row) for row in ix.adj)
    two_hop = sum(d * d for d in degrees)
    print(f"  degree: mean {sum(degrees) / len(degrees):.1f}, max {degrees[-1]}; "
          f"2-hop walks (sum of degree^2) {two_hop:,}; pending claims {len(network.pending):,}")
    reaches = timed(f"all suggestions (top {args.k} per member)", args.runs, lambda: list(reach_all(ix, args.k)))
    print(f"  {sum(len(r.suggestions) for r in reaches):,} suggestions kept, "
          f"{sum(r.candidates for r in reaches):,} candidates ranked")
    made = timed("introductions to make (every member)", args.runs,
                 lambda: [pairings(ix, h, 50) for h in ix.handles])
    print(f"  {sum(p.total for p in made):,} pairs (the first 50 of each kept)")
    timed("best matches (first 1000, as the page)", args.runs, lambda: best_matches(ix, 1000))
    view = NetworkView(c, network, ix)
    entries = legend(c)

    def member_pages() -> None:  # what the build computes for each profile and introductions page
        for h in ix.handles:
            mine = view.member(h)
            circle_svg(c, ix, h, mine.suggestions[:CIRCLE], limit=CIRCLE + 4, entries=entries)

    timed(f"every member's page data (top {LIST} + circle)", args.runs, member_pages)
    stats = timed("network stats", args.runs, lambda: network_stats(c, network, ix))
    print(f"  components {stats.components[:3]}, average separation {stats.average_separation}, "
          f"diameter >= {stats.diameter}, sampled {stats.sampled}")
    data = timed("graph file", 1, lambda: graph_file(ix, c))
    shards = [len(d) for _, d in context_files(ix, network)]
    print(f"  graph.json {_mib(len(data))} ({len(data):,} bytes), gzip -6 {len(gzip.compress(data, 6)):,} bytes; "
          f"{len(shards)} context shards, largest {max(shards):,} bytes")
    del reaches, made, view
    traced(f"all suggestions (top {args.k})", lambda: list(reach_all(ix, args.k)))
    traced("network stats", lambda: network_stats(c, network, ix))


if __name__ == "__main__":
    main()
