"""The baseline: Hugo building the same profiles as plain pages, then Pagefind indexing them.

    python benchmarks/hugo_baseline.py CORPUS WORK [--runs 3]

CORPUS is a community folder (content/members/*.md, e.g. from synth.py); WORK receives a minimal
Hugo site: the profiles (hard links, not copies), one template for a profile page (name, headline,
topics, offers, asks, connections, the bio) and one for the list of members. Hugo reads the same
YAML front matter. Only the profile pages are marked for Pagefind, as ours are.

Timings are wall clock; memory is each process's own peak resident set (from wait4).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

CONFIG = """baseURL = "/"
languageCode = "en"
title = "Hugo baseline"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
[markup.goldmark.renderer]
unsafe = false
"""

BASEOF = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{{ block "title" . }}{{ .Site.Title }}{{ end }}</title></head>
<body>{{ block "main" . }}{{ end }}</body></html>
"""

SINGLE = """{{ define "title" }}{{ .Params.name }}{{ end }}
{{ define "main" }}<main data-pagefind-body>
<h1>{{ .Params.name }}</h1>
<p>{{ .Params.headline }}{{ with .Params.pronouns }} ({{ . }}){{ end }} · {{ .Params.location }}</p>
<h2>Fields</h2><ul>{{ range .Params.fields }}<li>{{ . }}</li>{{ end }}</ul>
<h2>Interests</h2><ul>{{ range .Params.interests }}<li>{{ . }}</li>{{ end }}</ul>
<h2>Offers</h2><ul>{{ range .Params.offers }}<li>{{ if reflect.IsMap . }}{{ .topic }}: {{ .detail }}{{ else }}{{ . }}{{ end }}</li>{{ end }}</ul>
<h2>Asks</h2><ul>{{ range .Params.asks }}<li>{{ if reflect.IsMap . }}{{ .topic }}: {{ .detail }}{{ else }}{{ . }}{{ end }}</li>{{ end }}</ul>
<h2>Connections</h2><ul>{{ range .Params.connections }}{{ if reflect.IsMap . }}<li><a href="../{{ .handle }}/">{{ .handle }}</a> {{ .context }}</li>{{ else }}<li><a href="../{{ . }}/">{{ . }}</a></li>{{ end }}{{ end }}</ul>
<section>{{ .Content }}</section>
</main>{{ end }}
"""

LIST = """{{ define "main" }}<main><h1>Members</h1><ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Params.name }}</a> {{ .Params.headline }}</li>
{{ end }}</ul></main>{{ end }}
"""

HOME = """{{ define "main" }}<main><h1>{{ .Site.Title }}</h1><a href="members/">Members</a></main>{{ end }}
"""


@dataclass(frozen=True)
class Run:
    """One process: wall seconds, CPU seconds (all its threads) and its own peak resident memory in bytes."""

    seconds: float
    peak_bytes: int
    cpu_seconds: float = 0.0


def measure(command: list[str], cwd: Path | None = None) -> Run:
    """Run a command to completion, quietly; fail loudly if it fails."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert process.stderr is not None
    errors = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{command[0]} failed ({process.returncode}): {errors.decode(errors='replace')[-2000:]}")
    return Run(seconds, usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime)  # Linux reports KiB


def hugo_binary() -> str | None:
    """Debian's `hugo`, when installed."""
    return shutil.which("hugo")


def pagefind_command() -> list[str]:
    """The Pagefind binary that the pagefind[bin] package ships (the same one our build uses)."""
    from pagefind.service import get_executable

    binary = get_executable()
    if binary is None:
        raise RuntimeError("Pagefind is not installed (pip install 'pagefind[bin]')")
    return [str(binary)]


def write_hugo_site(corpus: Path, work: Path) -> Path:
    """A Hugo project in work/ whose content/members/ are hard links to the corpus's profiles."""
    if work.exists():
        shutil.rmtree(work)
    members = work / "content" / "members"
    members.mkdir(parents=True)
    (work / "hugo.toml").write_text(CONFIG, encoding="utf-8")
    (members / "_index.md").write_text("---\ntitle: Members\n---\n", encoding="utf-8")
    for name, text in {"_default/baseof.html": BASEOF, "_default/single.html": SINGLE,
                       "_default/list.html": LIST, "index.html": HOME}.items():
        path = work / "layouts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for profile in sorted((corpus / "content" / "members").glob("*.md")):
        try:
            os.link(profile, members / profile.name)
        except OSError:  # another filesystem: copy instead
            shutil.copyfile(profile, members / profile.name)
    return work


def run_baseline(work: Path) -> tuple[Run, Run, int]:
    """One cold Hugo build then one Pagefind index of its output; returns both runs and the page count."""
    work = work.absolute()  # hugo reads --destination relative to --source
    public = work / "public"
    shutil.rmtree(public, ignore_errors=True)
    hugo = measure([hugo_binary() or "hugo", "--quiet", "--source", str(work), "--destination", str(public)])
    pagefind = measure([*pagefind_command(), "--site", str(public)])
    pages = sum(1 for _ in (public / "members").glob("*/index.html"))
    return hugo, pagefind, pages


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("work", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    if hugo_binary() is None:
        sys.exit("hugo is not installed (apt-get install hugo)")
    write_hugo_site(args.corpus, args.work)
    runs = [run_baseline(args.work) for _ in range(args.runs)]
    for label, pick in (("hugo", 0), ("pagefind", 1)):
        times = [r[pick].seconds for r in runs]
        print(f"{label:9s} median {statistics.median(times):6.2f} s (min {min(times):.2f}, max {max(times):.2f}), "
              f"CPU {statistics.median(r[pick].cpu_seconds for r in runs):.1f} s, "
              f"peak {max(r[pick].peak_bytes for r in runs) / 2**20:,.0f} MiB")
    print(f"{runs[0][2]:,} profile pages")


if __name__ == "__main__":
    main()
