"""The preview's search index, rebuilt on its own thread after the pages it covers.

Pagefind re-reads every page on each run (it has no incremental mode): a few tenths of a
second for dozens of members, tens of seconds for ten thousand. Making the changed page wait
for it would make the preview as slow as the index, so the server shows the new pages at once
and keeps answering /pagefind/ from the last folder whose index is complete; this thread
indexes the newest build and then switches search to it. Search is never broken, only
briefly a save behind.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Callable

from .serve_http import LiveState

Log = Callable[[str], None]

# Pagefind runs in a child process of its own session: Ctrl-C can then end it (and the
# pagefind binary it starts) at once instead of waiting for an index of ten thousand pages.
_INDEX = "import sys; from pathlib import Path; from generator.search import index_site; index_site(Path(sys.argv[1]))"


def index_command(folder: Path) -> list[str]:
    """The command that writes folder/pagefind/ for the pages in folder."""
    return [sys.executable, "-c", _INDEX, str(folder)]


class SearchIndexer:
    """Indexes the newest folder asked for, one at a time; older requests are dropped."""

    def __init__(self, state: LiveState, log: Log, command: Callable[[Path], list[str]] = index_command) -> None:
        self._state = state
        self._log = log
        self._command = command
        self._wanted: Path | None = None
        self._working: Path | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._changed = threading.Condition()
        self._stopping = False

    def index_now(self, folder: Path) -> None:
        """Index folder in this thread and point search at it (the first build: search from the start)."""
        if self._run(folder):
            self._state.update(search_root=folder)

    def request(self, folder: Path) -> None:
        """Index folder next, instead of any folder still waiting."""
        with self._changed:
            self._wanted = folder
            self._changed.notify_all()

    def busy(self) -> set[Path]:
        """The folders this indexer still needs: they must not be deleted."""
        with self._changed:
            return {f for f in (self._wanted, self._working) if f is not None}

    def stop(self) -> None:
        """End the loop, and the index being built if any."""
        with self._changed:
            self._stopping = True
            self._changed.notify_all()
            process = self._process
        if process is not None and process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGTERM)  # its own session: pagefind goes too
            except ProcessLookupError:
                pass

    def run(self) -> None:
        """The thread's loop: wait for a folder, index it, switch search to it."""
        while True:
            with self._changed:
                while self._wanted is None and not self._stopping:
                    self._changed.wait()
                if self._stopping:
                    return
                self._working, self._wanted = self._wanted, None
            if self._run(self._working):
                # A newer build may be showing by now; its index follows. Either way this one is
                # complete and newer than the one it replaces.
                self._state.update(search_root=self._working)
            with self._changed:
                self._working = None

    def _run(self, folder: Path) -> bool:
        started = time.perf_counter()
        with self._changed:
            if self._stopping:
                return False
            self._process = subprocess.Popen(self._command(folder), stdout=subprocess.DEVNULL,
                                             stderr=subprocess.PIPE, start_new_session=True)
            process = self._process
        _, err = process.communicate()
        with self._changed:
            self._process = None
            if self._stopping:
                return False
        if process.returncode != 0:
            lines = err.decode("utf-8", "replace").strip().splitlines()
            self._log(f"the search index was not updated: {lines[-1] if lines else process.returncode}")
            return False
        self._log(f"search index updated in {time.perf_counter() - started:.2f} s")
        return True
