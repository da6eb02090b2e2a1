"""The benchmark corpus generator: what it writes must be a valid, deterministic community."""

from __future__ import annotations

from pathlib import Path

from benchmarks.synth import generate
from generator.community import load_community


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_synthetic_community_passes_the_check(tmp_path: Path) -> None:
    generate(tmp_path, 300, seed=3)
    loaded = load_community(tmp_path)
    assert loaded.errors == []
    assert len(loaded.community.members) == 300


def test_synthetic_community_is_the_same_for_the_same_seed(tmp_path: Path) -> None:
    generate(tmp_path / "a", 120, seed=5)
    generate(tmp_path / "b", 120, seed=5)
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")


def test_synthetic_community_has_confirmed_and_pending_connections(tmp_path: Path) -> None:
    stats = generate(tmp_path, 400, seed=2, mean_degree=10)
    assert stats.confirmed > 5 * stats.pending > 0
    assert 7 < stats.mean_degree < 13
