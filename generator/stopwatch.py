"""Seconds per build stage, for benchmarks/run.py: a no-op unless it is given a dict to fill."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")


class Stopwatch:
    """Seconds per stage into a dict, for benchmarks/run.py; does nothing without one."""

    def __init__(self, timings: dict[str, float] | None) -> None:
        self.timings = timings
        self.last = time.perf_counter()

    def __call__(self, stage: str, less: tuple[str, ...] = ()) -> None:
        """Record the time since the previous lap, less the stages measured inside it."""
        now = time.perf_counter()
        if self.timings is not None:
            inner = sum(self.timings.get(s, 0.0) for s in less)
            self.timings[stage] = self.timings.get(stage, 0.0) + now - self.last - inner
        self.last = now

    def inside(self, outputs: Iterable[T], stage: str) -> Iterator[T]:
        """Pass outputs through, adding the time spent producing each one to the stage."""
        if self.timings is None:
            yield from outputs
            return
        self.timings.setdefault(stage, 0.0)
        items = iter(outputs)
        while True:
            begun = time.perf_counter()
            item = next(items, None)
            self.timings[stage] += time.perf_counter() - begun
            if item is None:
                return
            yield item

    def timed(self, step: Callable[[Path], object], stage: str) -> Callable[[Path], None]:
        """The step, adding its time to the stage."""
        def run(folder: Path) -> None:
            begun = time.perf_counter()
            step(folder)
            if self.timings is not None:
                self.timings[stage] = self.timings.get(stage, 0.0) + time.perf_counter() - begun
        return run
