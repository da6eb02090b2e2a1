"""How long from saving one profile to `connectory serve` sending the rebuilt page.

    python benchmarks/serve_latency.py [--members 10000] [--edits 5] [--example-only]

For the example community (this repository's content/) and a synthetic one made by
benchmarks/synth.py, it copies the community into benchmarks/.work/, starts the preview
server in this process on a free port, then edits one profile `--edits` times: each edit
appends a unique sentence to the bio and the clock runs until an HTTP GET of that member's
page returns the sentence. The figure is what an organiser waits for: the watcher's quiet
time, the rebuild, and the request. The first (cold) build, the rebuild times the server
logs, and when the search index (rebuilt on its own thread) caught up are printed too.
"""

from __future__ import annotations

import argparse
import http.client
import shutil
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `benchmarks` and `generator` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import synth
from generator.serve import Preview, site_build

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / ".work"
TIMEOUT = 1800.0


def fetch(preview: Preview, path: str) -> bytes:
    host, port = preview.server.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=60)
    conn.request("GET", path)
    body = conn.getresponse().read()
    conn.close()
    return body


def measure(source: Path, label: str, edits: int) -> None:
    """Start a preview of source, edit one profile `edits` times, print the latencies."""
    logged: list[str] = []
    started = time.perf_counter()
    preview = Preview(source, site_build(source), search=True, port=0, log=logged.append)
    try:
        preview.start()
        print(f"{label}: first build, index and start {time.perf_counter() - started:.1f} s ({'; '.join(logged)})")
        profiles = sorted((source / "content" / "members").glob("*.md"))
        target = profiles[len(profiles) // 2]
        page = f"{preview.state.current().prefix}members/{target.stem}/"
        original = target.read_text(encoding="utf-8")
        latencies = []
        for n in range(edits):
            marker = f"Benchmark edit {n} {time.time_ns()}."
            before = len(logged)
            saved = time.perf_counter()
            target.write_text(original.rstrip("\n") + f"\n\n{marker}\n", encoding="utf-8")
            while marker.encode() not in fetch(preview, page):
                if time.perf_counter() - saved > TIMEOUT:
                    raise SystemExit(f"{label}: the edit was not served within {TIMEOUT:.0f} s: {logged[before:]}")
                time.sleep(0.02)
            latencies.append(time.perf_counter() - saved)
            time.sleep(0.2)  # the server logs its line just after switching to the new build
            built = [line for line in logged[before:] if line.startswith("built")]
            print(f"  edit {n + 1}: served after {latencies[-1]:.2f} s ({built[-1] if built else '?'})")
        print(f"{label}: save-to-served median {statistics.median(latencies):.2f} s, "
              f"min {min(latencies):.2f} s, max {max(latencies):.2f} s over {edits} edits")
        caught_up = time.perf_counter()
        while preview.state.current().search_root != preview.state.current().root:
            time.sleep(0.05)
        indexed = [line for line in logged if line.startswith("search index updated")]
        print(f"{label}: search index caught up {time.perf_counter() - caught_up:.1f} s after the last "
              f"page was served ({indexed[-1] if indexed else '?'})")
        target.write_text(original, encoding="utf-8")
    finally:
        preview.stop()


def fresh_copy(name: str) -> Path:
    """An empty folder under benchmarks/.work/ (git-ignored)."""
    folder = WORK / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=10_000, help="size of the synthetic community")
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--example-only", action="store_true")
    args = parser.parse_args(argv)

    example = fresh_copy("serve-example")
    shutil.copytree(ROOT / "content", example / "content")
    measure(example, "example", args.edits)
    if args.example_only:
        return
    synthetic = fresh_copy(f"serve-synth-{args.members}")
    stats = synth.generate(synthetic, args.members)
    print(f"synthetic: {stats.members:,} members, {stats.confirmed:,} confirmed connections")
    measure(synthetic, f"synthetic {args.members:,}", args.edits)


if __name__ == "__main__":
    main()
