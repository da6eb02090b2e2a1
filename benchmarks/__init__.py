"""Benchmarks: a synthetic community generator and timing scripts (not part of the package)."""
