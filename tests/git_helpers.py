"""Real git repositories for tests, isolated from the machine's git configuration."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

# No global or system config (hooks, signing, templates), and a fixed identity.
GIT_ENV = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org"}


def git(repo: Path, *args: str) -> str:
    """Run git in `repo` (branch main by default) and return its output; fail the test on error."""
    done = subprocess.run(["git", "-c", "init.defaultBranch=main", *args], cwd=repo, env=GIT_ENV,
                          capture_output=True, text=True, check=True)
    return done.stdout
