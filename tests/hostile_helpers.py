"""The hostile-profile suite in tests/hostile/: its manifest, a community holding some of its files,
and a time limit that turns a hang into a test failure."""

from __future__ import annotations

import shutil
import signal
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator

import yaml

HOSTILE = Path(__file__).resolve().parent / "hostile"
MANIFEST: dict[str, dict[str, Any]] = yaml.safe_load((HOSTILE / "expected.yaml").read_text(encoding="utf-8"))
THREATS = ("script", "impersonation", "privacy", "dos", "overwrite", "crash")


def member_rel(name: str) -> str:
    """Where a hostile file sits in the community: its `as` name (for names a Windows checkout
    cannot hold, or non-ASCII ones) or its own."""
    return f"content/members/{MANIFEST[name].get('as', name)}"


def hostile_community(root: Path, names: Iterable[str]) -> Path:
    """Under root: the base community, every test avatar, and the named hostile profiles."""
    shutil.copytree(HOSTILE / "base", root, dirs_exist_ok=True)
    shutil.copytree(HOSTILE / "avatars", root / "content" / "avatars", dirs_exist_ok=True)
    for name in names:
        shutil.copyfile(HOSTILE / "profiles" / name, root / member_rel(name))
    return root


def accepted() -> list[str]:
    """The hostile files the manifest expects to pass the check."""
    return sorted(n for n, e in MANIFEST.items() if e["expect"] == "accepted")


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Fail with TimeoutError when the body runs longer than `seconds` (a hang, not a slow pass)."""

    def expired(signum: int, frame: Any) -> None:
        raise TimeoutError(f"took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
