"""build(timings=...) reports each stage, for benchmarks/run.py."""

from __future__ import annotations

from generator.build import build
from generator.stopwatch import Stopwatch
from conftest import profile


def test_build_reports_the_seconds_of_each_stage(write_community, tmp_path) -> None:
    source = write_community({"content/members/ada.md": profile("Ada"), "content/members/grace.md": profile("Grace")})
    timings: dict[str, float] = {}
    build(source, tmp_path / "out", search=False, timings=timings)
    assert set(timings) == {"check", "graph", "render", "write"}
    assert all(seconds >= 0 for seconds in timings.values())


def test_stopwatch_without_a_dict_passes_outputs_through_untouched() -> None:
    lap = Stopwatch(None)
    assert list(lap.inside(iter([("a", b"1"), ("b", b"2")]), "render")) == [("a", b"1"), ("b", b"2")]
    lap("check")
