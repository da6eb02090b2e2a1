"""The `connectory` command: the only place that turns errors into exit codes."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Iterable, Iterator

import click

from typing import TYPE_CHECKING

from . import __version__
from .content import member_files, relative
from .errors import CheckFailed, ConnectoryError, UsageError, sort_problems
from .introductions import TOP  # light (15 ms): the --all help names it
from .report import FORMATS, summary

# Each command imports the stages it runs when it runs: `connectory build` with nothing to do
# answers in a fraction of a second instead of first loading the renderer, the graph code and
# jsonschema (about 0.7 s of imports).
if TYPE_CHECKING:
    from .network_report import Prepared
    from .render import Output

source_option = click.option(
    "--source", "-s", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
    show_default=True, help="The community folder: it holds content/ and, optionally, themes/.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="connectory")
def cli() -> None:
    """Connectory: a community directory that shows who can introduce whom."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@source_option
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default="text", show_default=True,
              help="text for people, github for workflow annotations, json for tools.")
@click.option("--strict", is_flag=True, help="Count warnings as errors.")
@click.option("--author", metavar="LOGIN", help="A pull request's author (GitHub login): report every change "
              "they may not make (needs --base or --changed).")
@click.option("--base", "base_ref", metavar="REF", help="With --author: the git ref the pull request targets, "
              "e.g. origin/main; changes are counted from where the branch left it, ownership judged there.")
@click.option("--changed", multiple=True, metavar="PATH", help="With --author: a changed file, relative to the "
              "community folder (repeat it, or give several on separate lines) instead of asking git.")
def check(paths: tuple[Path, ...], source: Path, fmt: str, strict: bool, author: str | None,
          base_ref: str | None, changed: tuple[str, ...]) -> None:
    """Validate the profiles (all, or only PATHS) and report every problem at once.

    Exit 0 when there are no errors, 1 when there are, 2 on a usage error.
    With PATHS, only those files are reported on; their connections are still
    resolved against the whole community. With --author, the pull request's
    changes are checked too: a member may change only their own profile (the one
    whose links.github is their login) and its avatar; maintainers (site.yaml) anything.
    """
    if (base_ref or changed) and not author:
        raise UsageError("--base and --changed say what a pull request changed; give its --author too")
    if author and not (base_ref or changed):
        raise UsageError("--author needs --base REF (ask git what changed) or --changed PATH")
    if not (source / "content").is_dir():  # else a CI job in the wrong folder passes, having checked nothing
        raise UsageError(f"there is no content/ folder in {source}: run this in a community folder, "
                         "or give --source DIR")
    from .community import load_community
    from .pullrequest import pull_request_problems

    loaded = load_community(source, drafts=True)
    problems = loaded.problems
    if paths:
        wanted = {relative(p, source) for p in paths}
        problems = [p for p in problems if p.file in wanted]
    if author:  # about the pull request as a whole, so never narrowed to PATHS
        listed = [line for value in changed for line in value.splitlines()]
        problems = problems + pull_request_problems(source, author, base_ref, listed)
    if strict:
        problems = [p.as_error() for p in problems]
    problems = sort_problems(problems)
    if problems:
        click.echo(FORMATS[fmt](problems))
    elif fmt == "json":
        click.echo("[]")
    files = len(paths) if paths else len(member_files(source))
    click.echo(summary(problems, files), err=True)
    if any(p.severity == "error" for p in problems):
        sys.exit(1)


@cli.command()
@click.argument("handle")
@click.option("--name", help="Your name as it should appear; asked for when not given.")
@click.option("--github", metavar="LOGIN", default="",
              help="Your GitHub login, written as links.github: it makes the profile yours to change.")
@source_option
def new(handle: str, name: str | None, github: str, source: Path) -> None:
    """Write a commented profile skeleton to content/members/HANDLE.md."""
    from .config import load_config
    from .init import LOGIN
    from .skeleton import profile_skeleton
    from .validate import handle_problem

    if why := handle_problem(handle):
        raise UsageError(f"`{handle}` is not a valid handle: {why}")
    if github and not LOGIN.match(github):
        raise UsageError(f"`{github}` is not a GitHub login (letters, digits and single hyphens)")
    path = source / "content" / "members" / f"{handle}.md"
    if path.exists():
        raise ConnectoryError(f"{relative(path, source)} already exists; edit it instead")
    if name is None:
        name = click.prompt("Your name")
    name = name.strip()
    if not name or len(name) > 100:
        raise UsageError("the name must be 1 to 100 characters")
    config, _ = load_config(source)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(profile_skeleton(handle, name, config, github), encoding="utf-8")
    click.echo(f"wrote {relative(path, source)}; fill it in, then run `connectory check`")


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--title", help="The community's name; by default made from FOLDER's name.")
@click.option("--maintainer", "maintainers", multiple=True, metavar="LOGIN",
              help="A GitHub login who may change anything (repeatable); more can be added in site.yaml.")
@click.option("--force", is_flag=True, help="Write into a folder that is not empty: missing files are added, "
              "existing files are kept as they are.")
def init(folder: Path, title: str | None, maintainers: tuple[str, ...], force: bool) -> None:
    """Create a new community in FOLDER: settings, a sample profile, a contributing guide,
    and GitHub workflows that check pull requests and publish the site on GitHub Pages."""
    from .init import default_title, scaffold_files, write_scaffold

    scaffold = scaffold_files(title if title is not None else default_title(folder), maintainers)
    written, kept = write_scaffold(folder, scaffold, force)
    for rel in kept:
        click.echo(f"kept {rel} (it exists)")
    click.echo(f"created {len(written)} files in {folder}")
    if "+" in __version__:
        click.echo(f"note: the workflows pin connectory=={__version__}, which is not a released version; "
                   "change it to one on PyPI before pushing", err=True)
    click.echo(f"""
Next:
  cd {folder}
  connectory check && connectory serve    # preview on http://127.0.0.1:8000/
  git init -b main && git add -A && git commit -m "Start the directory"
Then push to GitHub, and in Settings > Pages choose "GitHub Actions" as the source.
README.md has the rest (maintainers, branch protection); CONTRIBUTING.md is for members.""")


def _progress_bar(outputs: Iterable[Output], length: int) -> Iterator[Output]:
    with click.progressbar(outputs, length=length, label="Building") as bar:
        yield from bar


@cli.command("build")
@source_option
@click.option("--out", "-o", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where the site goes, replaced whole once the build succeeds.  [default: SOURCE/site]")
@click.option("--base-url", metavar="URL", help="Where the site will live, e.g. https://example.org/community/ "
              "or /community/; overrides base_url in site.yaml.")
@click.option("--drafts", is_flag=True, help="Include profiles marked `draft: true` (for previews).")
@click.option("--clean", is_flag=True, help="Build everything, even what did not change since the last build "
              "(see SOURCE/.connectory-cache/).")
def build_command(source: Path, out: Path | None, base_url: str | None, drafts: bool, clean: bool) -> None:
    """Check the community, then build the site and its search index.

    With errors nothing is written and the previous site stays as it was (exit 1); the new
    site replaces the old one only once it is complete.
    """
    from .build import build as build_site
    from .writer import Trash

    progress = _progress_bar if sys.stdout.isatty() else None
    trash = Trash()  # deletes the previous site on a thread while the summary is shown (tens of seconds at 10k)
    try:
        done = build_site(source, out, base_url=base_url, drafts=drafts, progress=progress, cache=True, clean=clean,
                          discard=trash.put)
    except CheckFailed as failed:
        click.echo(FORMATS["text"](failed.problems), err=True)
        click.echo(summary(failed.problems, len(member_files(source))) + "; nothing was built", err=True)
        sys.exit(failed.exit_code)
    warnings = f", {done.warnings} warning{'s' * (done.warnings != 1)} (see connectory check)" if done.warnings else ""
    if done.unchanged:
        click.echo(f"nothing changed since the last build: {relative(done.out, source)}/ is up to date "
                   f"({done.members} member{'s' * (done.members != 1)}, {done.pages} pages; checked in "
                   f"{done.seconds:.1f} s){warnings}; --clean builds it all again")
        return
    click.echo(f"built {done.members} member{'s' * (done.members != 1)} into {done.pages} pages in "
               f"{done.seconds:.1f} s: {relative(done.out, source)}/{_partly(done.incremental)}{warnings}")
    trash.wait()


def _partly(plan: dict[str, object] | None) -> str:
    """What an incremental build rendered again (incremental.describe), for the summary line."""
    if plan is None:
        return ""
    changed, members, topics = plan["changed"], plan["members"], plan["topics"]
    index = "; search index rebuilt" if plan["reindex"] else ""
    return (f" ({changed} profile{'s' * (changed != 1)} changed: the pages of {members} member{'s' * (members != 1)} "
            f"and {topics} topic{'s' * (topics != 1)} rendered again, the rest kept{index})")


@cli.command("serve")
@source_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on; anything but loopback shows the preview to your network.")
@click.option("--port", "-p", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="The port to listen on (0: any free port).")
@click.option("--open", "open_browser", is_flag=True, help="Open the site in the web browser once built.")
@click.option("--drafts", is_flag=True, help="Include profiles marked `draft: true`.")
def serve_command(source: Path, host: str, port: int, open_browser: bool, drafts: bool) -> None:
    """Build, serve the site locally, and rebuild and reload the browser on every saved change.

    The preview is built into a temporary folder (site/ is left alone) and served where the
    base URL puts it. A change that breaks the check shows its problems over the last good site.
    """
    from .serve import serve  # the watcher and server load only for this command

    serve(source, host=host, port=port, open_browser=open_browser, drafts=drafts,
          log=lambda line: click.echo(line, err=True))


def _checked_network(source: Path) -> Prepared:
    """The community's network, or its problems printed and exit 1: answers from a broken
    community would be wrong without saying so."""
    from .community import load_community
    from .network_report import prepare

    loaded = load_community(source)
    if loaded.errors:
        click.echo(FORMATS["text"](loaded.problems), err=True)
        click.echo(summary(loaded.problems, len(member_files(source))) + "; fix them first", err=True)
        sys.exit(1)
    return prepare(loaded.community)


format_option = click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
                             show_default=True, help="text for people, json for scripts.")


@cli.command()
@click.argument("handle")
@click.option("--all", "everyone", is_flag=True, help=f"Everyone one introduction away, not just the top {TOP}.")
@format_option
@source_option
def intros(handle: str, everyone: bool, fmt: str, source: Path) -> None:
    """People HANDLE could meet through a shared connection, best first, with who can introduce them and why."""
    from .introductions import reach
    from .network_report import intros_json, intros_text, resolve

    network = _checked_network(source)
    found = reach(network.index, resolve(network, handle), None if everyone else TOP)
    click.echo(intros_json(network, found) if fmt == "json" else intros_text(network, found))


@cli.command()
@click.argument("a")
@click.argument("b")
@format_option
@source_option
def path(a: str, b: str, fmt: str, source: Path) -> None:
    """The shortest chain of confirmed connections from A to B (exit 1 when there is none)."""
    from .network_report import path_json, path_text, resolve
    from .paths import shortest_chain

    network = _checked_network(source)
    a, b = resolve(network, a), resolve(network, b)
    chain = shortest_chain(network.index, a, b)
    click.echo(path_json(a, b, chain) if fmt == "json" else path_text(network, a, b, chain))
    if chain is None:
        sys.exit(1)


def main() -> None:
    """Console-script entry point."""
    try:
        cli(prog_name="connectory")
    except CheckFailed as failed:  # pragma: no cover - commands report problems themselves
        click.echo(FORMATS["text"](failed.problems), err=True)
        sys.exit(failed.exit_code)
