"""The I/O edge of the ownership check: what a pull request changed (from git, or as listed),
the files as they were at its base and as they are now; the verdicts come from ownership.py.

Paths go in and come out relative to the community folder, which may sit below the
repository's top level; a changed path outside the community keeps its top-level path.
"""

from __future__ import annotations

import posixpath
import subprocess
from pathlib import Path

from .content import MAX_FILE_BYTES
from .errors import Problem, UsageError
from .ownership import MEMBERS, SITE, Change, Snapshot, is_profile, ownership_problems

_STATUSES = {"A": "A", "M": "M", "D": "D", "R": "R", "C": "A", "T": "M", "U": "M"}


def git(source: Path, *args: str, stdin: bytes | None = None) -> bytes:
    """Run git in the community folder; a failure is a usage error naming the command."""
    try:
        done = subprocess.run(["git", *args], cwd=source, input=stdin, capture_output=True, check=False)
    except FileNotFoundError:
        raise UsageError("git is not installed, and --base needs it") from None
    if done.returncode:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UsageError(f"`git {' '.join(args)}` failed: {message[-1] if message else done.returncode}")
    return done.stdout


def merge_base(source: Path, ref: str) -> str:
    """The commit the current branch forked from `ref`: what the pull request changes is measured from it."""
    _prefix(source)  # fails first, and says so, outside a git repository
    try:
        git(source, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except UsageError:
        raise UsageError(f"git cannot find `{ref}`; fetch it first (in GitHub Actions: actions/checkout "
                         "with fetch-depth: 0)") from None
    return git(source, "merge-base", ref, "HEAD").decode().strip()


def _prefix(source: Path) -> str:
    return git(source, "rev-parse", "--show-prefix").decode().strip()


def _local(path: str, prefix: str) -> str:
    return path.removeprefix(prefix) if path.startswith(prefix) else path


def changes_since(source: Path, commit: str) -> list[Change]:
    """Files changed from `commit` to the working tree (renames detected), plus untracked new files."""
    prefix = _prefix(source)
    fields = git(source, "diff", "--name-status", "-z", "-M", "--no-ext-diff", commit).decode("utf-8", "replace")
    items = fields.split("\0")
    changes, i = [], 0
    while i < len(items) and items[i]:
        status = _STATUSES.get(items[i][0], "M")
        if items[i][0] in "RC":
            old, new = _local(items[i + 1], prefix), _local(items[i + 2], prefix)
            changes.append(Change("R", new, old) if status == "R" else Change("A", new))
            i += 3
        else:
            changes.append(Change(status, _local(items[i + 1], prefix)))  # type: ignore[arg-type]
            i += 2
    untracked = git(source, "ls-files", "--others", "--exclude-standard", "-z", "--full-name", "--", ":/")
    changes += [Change("A", _local(p, prefix)) for p in untracked.decode("utf-8", "replace").split("\0") if p]
    return changes


def changes_from_paths(source: Path, paths: list[str], existed: set[str] | None) -> list[Change]:
    """Changes for paths someone already listed, judged by existence: in the base and now (modified),
    only in the base (deleted), only now (added). Without a base, a missing file counts as deleted."""
    changes = []
    for path in sorted({posixpath.normpath(p.replace("\\", "/")).removeprefix("./") for p in paths if p.strip()}):
        here = (source / path).exists()
        before = True if existed is None else path in existed
        if before or here:
            changes.append(Change("M" if before and here else "D" if before else "A", path))
    return changes


def base_snapshot(source: Path, commit: str) -> tuple[Snapshot, set[str]]:
    """The profiles and site.yaml as they were at `commit`, and every path that existed then."""
    prefix = _prefix(source)
    listing = git(source, "ls-tree", "-r", "-z", "--name-only", "--full-tree", commit)
    full = [p for p in listing.decode("utf-8", "replace").split("\0") if p]
    paths = [_local(p, prefix) for p in full]
    inside = [p.removeprefix(prefix) for p in full if p.startswith(prefix)]
    texts = _cat(source, commit, prefix, [p for p in inside if is_profile(p) or p == SITE])
    return Snapshot({p: t for p, t in texts.items() if p != SITE}, texts.get(SITE)), set(paths)


def _cat(source: Path, commit: str, prefix: str, paths: list[str]) -> dict[str, str]:
    """Read many files of one commit with a single `git cat-file --batch`."""
    if not paths:
        return {}
    query = "".join(f"{commit}:{prefix}{p}\n" for p in paths).encode()
    out = git(source, "cat-file", "--batch", stdin=query)
    texts, pos = {}, 0
    for path in paths:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        pos = end + 1
        if len(header) < 3 or header[1] != b"blob":
            continue
        size = int(header[2])
        texts[path] = out[pos:pos + size].decode("utf-8", "replace")
        pos += size + 1
    return texts


def head_snapshot(source: Path) -> Snapshot:
    """The profiles and site.yaml as they are in the working tree."""
    folder = source / MEMBERS
    profiles = {}
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        if path.is_file():
            profiles[f"{MEMBERS}{path.name}"] = _read(path)
    site = source / SITE
    return Snapshot(profiles, _read(site) if site.is_file() else None)


def _read(path: Path) -> str:
    # One byte over the cap is enough for ownership.owner_of to see the file is too large.
    with path.open("rb") as fh:
        return fh.read(MAX_FILE_BYTES + 1).decode("utf-8", "replace")


def pull_request_problems(source: Path, author: str, base_ref: str | None, changed: list[str]) -> list[Problem]:
    """Ownership problems of the changes since `base_ref` (or of the `changed` paths) by `author`.

    Without a base ref the current files stand in for the base: good enough for a tool that
    already knows the changed files, but a pull request could then name itself owner or
    maintainer, so CI passes --base.
    """
    head = head_snapshot(source)
    if base_ref is None:
        return ownership_problems(author, changes_from_paths(source, changed, None), head, head)
    commit = merge_base(source, base_ref)
    base, existed = base_snapshot(source, commit)
    changes = changes_from_paths(source, changed, existed) if changed else changes_since(source, commit)
    return ownership_problems(author, changes, base, head)
