"""Work on every core: chunks of one stage's items (profiles to read, members to render) in forked
worker processes, results in order.

Why fork: the workers inherit the loaded community, the network index and the theme as they are
in memory, so nothing but a chunk's handles goes to a worker. What comes back can be cut down
where it was made: `then` runs on each chunk's results in the worker (the build writes its pages
there, into the new site's folder, and returns only their paths), so 900 MB of pages at 10,000
members never cross a pipe or wait for the parent to write them one by one. `imap` hands results
back in submission order, so the stream is the same as working in one process. Where fork is
missing (Windows, macOS by default), or the work is small, it all runs here, `then` included.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
from typing import Any, Callable, Iterator, Sequence, TypeVar

C = TypeVar("C")
R = TypeVar("R")
T = TypeVar("T")

CHUNK = 40  # items per task: big enough to amortise a round trip, small enough to balance the load
MIN_ITEMS = 400  # below this, starting processes costs more than it saves

# Set in a worker process only, by _adopt right after the fork: what that worker renders with.
_adopted: tuple[Any, Callable[[Any, Sequence[str]], list[Any]], Callable[[list[Any]], list[Any]] | None] | None = None


def cpu_count() -> int:
    """The cores this process may run on (a container's limit, not the machine's)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _adopt(context: Any, job: Callable[[Any, Sequence[str]], list[Any]],
           then: Callable[[list[Any]], list[Any]] | None) -> None:
    global _adopted
    _adopted = (context, job, then)
    # The pool stops its workers with SIGTERM (on an error, or Ctrl-C): they must die of it even
    # when the parent catches it (serve turns it into Ctrl-C), or the parent waits for them forever.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _run(chunk: Sequence[str]) -> list[Any]:
    assert _adopted is not None, "a worker runs only after _adopt"
    context, job, then = _adopted
    return job(context, chunk) if then is None else then(job(context, chunk))


def ordered_map(job: Callable[[C, Sequence[str]], list[R]], context: C, items: Sequence[str],
                jobs: int, then: Callable[[list[R]], list[T]] | None = None) -> Iterator[R] | Iterator[T]:
    """Every result of job(context, chunk) over chunks of items, in the items' order; with `then`,
    every result of then(job(context, chunk)) instead, run in the same process as the job.

    The job runs in a worker that inherited `context` (and `then`) at the fork: it must not rely
    on changes made to them later, and what comes back must pickle. Closing the iterator early
    (an error downstream, Ctrl-C) terminates the workers and waits for them to be gone, so
    nothing they do outlives it."""
    chunks = [items[i:i + CHUNK] for i in range(0, len(items), CHUNK)]
    if jobs <= 1 or len(items) < MIN_ITEMS or "fork" not in multiprocessing.get_all_start_methods():
        for chunk in chunks:
            yield from job(context, chunk) if then is None else then(job(context, chunk))
        return
    # Objects alive now are never collected in the workers: the collector would otherwise touch
    # (and so copy) every page of memory they share with this process.
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(jobs, _adopt, (context, job, then)) as pool:
            for outputs in pool.imap(_run, chunks):
                yield from outputs
    finally:
        gc.unfreeze()
