"""Every hostile profile in tests/hostile/ gets the outcome its manifest promises.

Each file is checked on its own beside the three members of tests/hostile/base/, through the
same `connectory check --format json` a pull request runs: a rejected file must get exactly
the errors listed (code, line, field), an accepted one none. The site built from the accepted
files is searched for anything executable in tests/test_hostile_site.py.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from hostile_helpers import HOSTILE, MANIFEST, THREATS, hostile_community, member_rel, time_limit

# Seconds one check of one hostile file may take before it counts as a hang (a generous bound:
# the slowest file takes a fraction of a second; see SECURITY.md for the measured figure).
CHECK_LIMIT_S = 20


def test_the_suite_has_a_hundred_files_and_every_threat():
    assert len(MANIFEST) >= 100
    assert {entry["threat"] for entry in MANIFEST.values()} == set(THREATS)
    for threat in THREATS:
        outcomes = {e["expect"] for e in MANIFEST.values() if e["threat"] == threat}
        assert outcomes, threat


def test_every_profile_file_has_an_expected_outcome_and_every_outcome_a_file():
    files = {p.name for p in (HOSTILE / "profiles").iterdir()}
    assert files == set(MANIFEST)


def test_the_base_community_alone_checks_clean(tmp_path):
    shutil.copytree(HOSTILE / "base", tmp_path, dirs_exist_ok=True)
    result = CliRunner().invoke(cli, ["check", "--source", str(tmp_path), "--format", "json"])
    assert (result.exit_code, json.loads(result.stdout)) == (0, [])


def _check(root: Path) -> tuple[int, list[dict]]:
    with time_limit(CHECK_LIMIT_S):
        result = CliRunner().invoke(cli, ["check", "--source", str(root), "--format", "json"],
                                    catch_exceptions=False)
    return result.exit_code, json.loads(result.stdout)


@pytest.fixture(scope="module")
def outcomes() -> dict[str, tuple[int, list[dict]]]:
    """Every hostile file checked on its own: its exit code and the problems on that file."""
    found = {}
    for name in MANIFEST:
        with tempfile.TemporaryDirectory() as folder:
            exit_code, problems = _check(hostile_community(Path(folder), [name]))
        found[name] = exit_code, [p for p in problems if p["file"] == member_rel(name)]
    return found


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_hostile_profile_gets_its_expected_outcome(outcomes, name):
    entry, (exit_code, mine) = MANIFEST[name], outcomes[name]
    errors = sorted([p["code"], p["line"], p["field"]] for p in mine if p["severity"] == "error")
    warnings = [[p["code"], p["line"], p["field"]] for p in mine if p["severity"] == "warning"]
    if entry["expect"] == "rejected":
        assert (exit_code, errors) == (1, sorted(entry["errors"])), mine
    else:
        assert (exit_code, errors) == (0, []), mine
    for warning in entry.get("warnings", []):
        assert warning in warnings, mine
