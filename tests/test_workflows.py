"""The GitHub Actions workflows `connectory init` writes: valid YAML with the structure GitHub
expects, a pull-request check that cannot write anything, and a deploy that publishes on Pages."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import require
from generator import __version__
from generator.init import scaffold_files

WORKFLOWS = {path: text.decode() for path, text in scaffold_files("Club").items()
             if path.startswith(".github/workflows/")}


def load(name: str) -> dict[str, Any]:
    data = yaml.safe_load(WORKFLOWS[f".github/workflows/{name}"])
    assert isinstance(data, dict)
    return data


def triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    # YAML 1.1 (PyYAML) reads the key `on` as the boolean true; GitHub reads it as "on".
    on = workflow.get("on", workflow.get(True))
    return on if isinstance(on, dict) else {on: None}


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def step_using(workflow: dict[str, Any], action: str) -> dict[str, Any]:
    return next(s for s in steps(workflow) if s.get("uses", "").startswith(action + "@"))


def step_running(workflow: dict[str, Any], command: str) -> dict[str, Any]:
    return next(s for s in steps(workflow) if s.get("run", "").startswith(command))


def test_init_writes_two_workflows() -> None:
    assert sorted(WORKFLOWS) == [".github/workflows/check.yml", ".github/workflows/deploy.yml"]


@pytest.mark.parametrize("name", ["check.yml", "deploy.yml"])
def test_workflow_has_the_structure_github_expects(name: str) -> None:
    workflow = load(name)
    assert isinstance(workflow["name"], str) and triggers(workflow)
    assert workflow["jobs"]
    for job_id, job in workflow["jobs"].items():
        assert job["runs-on"] == "ubuntu-latest", job_id
        assert job["steps"], job_id
        for step in job["steps"]:
            assert len({"uses", "run"} & set(step)) == 1, step


@pytest.mark.parametrize("name", ["check.yml", "deploy.yml"])
def test_workflow_passes_the_schemastore_workflow_schema(name: str, tmp_path: Path) -> None:
    require(importlib.util.find_spec("check_jsonschema") is not None,
            "check-jsonschema is not installed (pip install -e '.[test]')")
    path = tmp_path / name
    path.write_text(WORKFLOWS[f".github/workflows/{name}"])
    done = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                           str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("name", ["check.yml", "deploy.yml"])
def test_workflow_actions_are_pinned_to_a_major_version(name: str) -> None:
    for step in steps(load(name)):
        if "uses" in step:
            action, _, version = step["uses"].partition("@")
            assert action.startswith("actions/") and version.startswith("v"), step["uses"]


@pytest.mark.parametrize("name", ["check.yml", "deploy.yml"])
def test_workflow_installs_this_exact_connectory_version(name: str) -> None:
    assert step_running(load(name), "python -m pip install")["run"] == f'python -m pip install "connectory=={__version__}"'


@pytest.mark.parametrize("name", ["check.yml", "deploy.yml"])
def test_workflow_scripts_take_event_values_from_the_environment_only(name: str) -> None:
    # A `${{ }}` inside `run:` is pasted into the script before the shell reads it: script injection.
    assert all("${{" not in step["run"] for step in steps(load(name)) if "run" in step)


# The pull-request check


def test_check_runs_on_pull_requests_only_never_pull_request_target() -> None:
    workflow = load("check.yml")
    assert list(triggers(workflow)) == ["pull_request"]
    assert not any(line.lstrip().startswith("pull_request_target") for line in
                   WORKFLOWS[".github/workflows/check.yml"].splitlines())


def test_check_token_is_read_only() -> None:
    workflow = load("check.yml")
    assert workflow["permissions"] == {"contents": "read"}
    assert all("permissions" not in job for job in workflow["jobs"].values())


def test_check_checks_out_the_whole_history_without_keeping_the_token() -> None:
    checkout = step_using(load("check.yml"), "actions/checkout")
    assert checkout["with"] == {"fetch-depth": 0, "persist-credentials": False}


def test_check_runs_connectory_check_as_github_annotations_with_author_and_base() -> None:
    step = step_running(load("check.yml"), "connectory check")
    assert step["run"] == 'connectory check --format github --author "$AUTHOR" --base "origin/$BASE_REF"'
    assert step["env"] == {"AUTHOR": "${{ github.event.pull_request.user.login }}", "BASE_REF": "${{ github.base_ref }}"}


def run_step(step: dict[str, Any], env: dict[str, str], tmp_path: Path) -> list[str]:
    """Run a step's script in bash with a stand-in `connectory` that prints its arguments, one a line."""
    fake = tmp_path / "bin" / "connectory"
    fake.parent.mkdir(exist_ok=True)
    fake.write_text('#!/bin/sh\nfor a in "$@"; do echo "$a"; done\n')
    fake.chmod(0o755)
    done = subprocess.run(["bash", "-e", "-c", step["run"]], capture_output=True, text=True, check=True,
                          env={**os.environ, **env, "PATH": f"{fake.parent}:{os.environ['PATH']}"})
    return done.stdout.splitlines()


def test_check_step_passes_author_and_base_as_single_arguments(tmp_path: Path) -> None:
    step = step_running(load("check.yml"), "connectory check")
    args = run_step(step, {"AUTHOR": "octo-cat", "BASE_REF": "main; echo injected"}, tmp_path)
    assert args == ["check", "--format", "github", "--author", "octo-cat", "--base", "origin/main; echo injected"]


# The deploy


def test_deploy_runs_on_pushes_to_main_and_by_hand() -> None:
    assert triggers(load("deploy.yml")) == {"push": {"branches": ["main"]}, "workflow_dispatch": None}


def test_deploy_gives_pages_permissions_to_the_deploy_job_only() -> None:
    workflow = load("deploy.yml")
    assert workflow["permissions"] == {"contents": "read"}
    assert "permissions" not in workflow["jobs"]["build"]
    assert workflow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}


def test_deploy_publishes_the_built_site_with_the_pages_actions() -> None:
    workflow = load("deploy.yml")
    assert step_using(workflow, "actions/upload-pages-artifact")["with"] == {"path": "site"}
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    assert deploy["environment"]["url"] == "${{ steps.%s.outputs.page_url }}" % deploy["steps"][0]["id"]


def test_deploy_builds_for_the_address_configure_pages_reports() -> None:
    workflow = load("deploy.yml")
    pages = step_using(workflow, "actions/configure-pages")
    build = step_running(workflow, "connectory build")
    assert build["env"] == {"BASE_URL": "${{ steps.%s.outputs.base_url }}" % pages["id"]}
    order = [s.get("id") or s.get("run", s.get("uses")) for s in workflow["jobs"]["build"]["steps"]]
    assert order.index(pages["id"]) < order.index(build["run"])


@pytest.mark.parametrize("base_url, expected", [("https://octo.github.io/club", "https://octo.github.io/club/"),
                                                ("https://club.example.org", "https://club.example.org/"),
                                                ("https://club.example.org/", "https://club.example.org/")])
def test_deploy_build_step_gives_the_address_one_trailing_slash(base_url: str, expected: str, tmp_path: Path) -> None:
    build = step_running(load("deploy.yml"), "connectory build")
    assert run_step(build, {"BASE_URL": base_url}, tmp_path) == ["build", "--base-url", expected]
