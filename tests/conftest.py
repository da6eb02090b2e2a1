"""Shared fixtures: small communities written into tmp_path, and tools that must exist in CI."""

from __future__ import annotations

import os
import shutil
import textwrap
from pathlib import Path
from typing import Callable

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / "tests" / ".tools" / "node_modules"


def require(condition: bool, why: str) -> None:
    """Skip when a heavy tool is missing on a developer's machine; fail in CI.

    .ci/run sets CONNECTORY_REQUIRE_TOOLS=1, so a browser or checker test can never pass
    there by being skipped.
    """
    if condition:
        return
    if os.environ.get("CONNECTORY_REQUIRE_TOOLS"):
        pytest.fail(f"required tool missing: {why}")
    pytest.skip(why)


def chromium_path() -> str:
    """Debian's Chromium, which Playwright drives through executable_path."""
    path = shutil.which("chromium") or "/usr/bin/chromium"
    require(Path(path).exists(), "Debian's chromium is not installed (run scripts/setup-tests)")
    return path


WriteCommunity = Callable[..., Path]


@pytest.fixture
def write_community(tmp_path: Path) -> WriteCommunity:
    """Write {relative path: text} under tmp_path (text is dedented) and return the folder."""

    def write(files: dict[str, str | bytes], root: Path | None = None) -> Path:
        base = root or tmp_path
        for rel, text in files.items():
            path = base / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return base

    return write


def profile(name: str, **fields: str) -> str:
    """A minimal profile text: name plus raw YAML lines given as keyword arguments."""
    lines = [f"name: {name}"] + [f"{k}: {v}" for k, v in fields.items()]
    return "---\n" + "\n".join(lines) + "\n---\nBio of " + name + ".\n"
