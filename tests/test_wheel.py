"""The package as a community installs it: a wheel of this project, installed into a fresh
virtual environment outside the repository, runs `init`, `check` and `build` on its own.

Slow (a wheel build, a venv and an install: about 20 seconds) but part of the default suite:
it is the only test that sees what the wheel really ships (the scaffold, themes, schemas).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT
from generator import __version__

# What a build needs from the source tree; copied so that the build's own leftovers
# (build/, *.egg-info) can neither land in the repository nor leak stale files into the wheel.
SOURCES = ("pyproject.toml", "README.md", "generator")


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run a command with none of this repository's Python on the path."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True)
    assert done.returncode == 0, f"{args} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv, outside the repository, with the wheel of this working tree installed; its bin/."""
    tmp = tmp_path_factory.mktemp("wheel")
    assert not tmp.resolve().is_relative_to(ROOT.resolve())
    src = tmp / "src"
    src.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(ROOT / name, src / name)
    run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", tmp / "dist", src, cwd=tmp)
    wheel, = (tmp / "dist").glob("connectory-*.whl")
    run(sys.executable, "-m", "venv", tmp / "venv", cwd=tmp)
    run(tmp / "venv/bin/python", "-m", "pip", "install", "-q", "--disable-pip-version-check", wheel, cwd=tmp)
    return tmp / "venv/bin"


@pytest.mark.slow
def test_wheel_ships_the_scaffold_with_its_dotfiles(installed: Path) -> None:
    wheel, = installed.parent.parent.joinpath("dist").glob("connectory-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"generator/scaffold/dot-gitignore", "generator/scaffold/dot-github/workflows/check.yml",
            "generator/scaffold/dot-github/workflows/deploy.yml", "generator/profile.schema.json"} <= names


@pytest.mark.slow
def test_installed_package_runs_from_the_venv_not_the_repository(installed: Path, tmp_path: Path) -> None:
    where = run(installed / "python", "-c", "import generator; print(generator.__file__)", cwd=tmp_path).stdout
    assert Path(where.strip()).resolve().is_relative_to(installed.parent.resolve())


@pytest.mark.slow
def test_installed_console_script_inits_checks_and_builds_a_community(installed: Path, tmp_path: Path) -> None:
    connectory = installed / "connectory"
    run(connectory, "init", "club", "--title", "The Club", cwd=tmp_path)
    club = tmp_path / "club"
    checked = run(connectory, "check", "--strict", cwd=club)
    assert "0 errors, 0 warnings in 1 profile" in checked.stderr
    run(connectory, "build", "--base-url", "https://octo.github.io/club/", cwd=club)
    assert (club / "site/members/ada-lovelace/index.html").is_file()
    assert any((club / "site/pagefind").glob("pagefind*.js"))
    workflow = (club / ".github/workflows/check.yml").read_text()
    assert f'pip install "connectory=={__version__}"' in workflow
