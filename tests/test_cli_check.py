"""`connectory check` and `connectory new` as a member or a CI job runs them: formats, exit codes, PATHs."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from generator import __version__
from generator.cli import cli

ADA = "content/members/ada.md"
BOB = "content/members/bob.md"
CLEAN = {ADA: "---\nname: Ada\nconnections: [bob]\n---\n", BOB: "---\nname: Bob\nconnections: [ada]\n---\n"}
# ada.md has an error on line 3 (unknown key), bob.md a warning on line 3 (carol has not listed bob).
BROKEN = {
    ADA: "---\nname: Ada\nnmae: x\n---\n",
    BOB: "---\nname: Bob\nconnections: [carol]\n---\n",
    "content/members/carol.md": "---\nname: Carol\n---\n",
}
PENDING = {BOB: BROKEN[BOB], "content/members/carol.md": BROKEN["content/members/carol.md"]}


def run(*args: str | Path, input: str | None = None, color: bool = False) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], input=input, color=color, catch_exceptions=False)


def test_check_passes_a_clean_community_with_exit_0(write_community):
    result = run("check", "--source", write_community(CLEAN))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr.strip() == "0 errors, 0 warnings in 2 profiles"


def test_check_uses_the_current_folder_by_default(write_community, monkeypatch):
    monkeypatch.chdir(write_community(BROKEN))
    assert run("check").exit_code == 1


def test_check_exits_1_on_errors(write_community):
    result = run("check", "--source", write_community(BROKEN))
    assert result.exit_code == 1
    assert result.stderr.strip() == "1 error, 1 warning in 3 profiles"


def test_check_exits_0_with_only_warnings(write_community):
    assert run("check", "--source", write_community(PENDING)).exit_code == 0


def test_strict_makes_warnings_errors(write_community):
    result = run("check", "--strict", "--source", write_community(PENDING))
    assert result.exit_code == 1
    assert f"{BOB}:3:15: error: connections.1:" in result.stdout


@pytest.mark.parametrize("args", [["--format", "xml"], ["--bogus"], ["no/such/file.md"]])
def test_check_exits_2_on_a_usage_error(write_community, args):
    assert run("check", "--source", write_community(CLEAN), *args).exit_code == 2


def test_check_exits_2_on_a_folder_without_content(tmp_path: Path):
    result = run("check", "--source", tmp_path)
    assert result.exit_code == 2
    assert "content/" in result.stderr


def test_text_format_is_path_line_column_severity_field_message_then_hint(write_community):
    result = run("check", "--source", write_community(BROKEN))
    assert result.stdout.splitlines() == [
        f"{ADA}:3:1: error: nmae: unknown field `nmae`",
        "    hint: did you mean `name`?",
        f"{BOB}:3:15: warning: connections.1: connection to `carol` is pending until carol lists you",
        "    hint: ask carol to add `bob` to their connections",
    ]


def test_text_format_has_no_colour_when_not_on_a_terminal(write_community):
    result = run("check", "--source", write_community(BROKEN), color=False)
    assert "\x1b[" not in result.output


def test_text_format_is_coloured_on_a_terminal(write_community):
    result = run("check", "--source", write_community(BROKEN), color=True)
    assert click.style("error", fg="red", bold=True) in result.stdout
    assert click.style("warning", fg="yellow", bold=True) in result.stdout


def test_text_format_escapes_control_characters_from_profiles(write_community):
    root = write_community({ADA: '---\nname: Ada\nlinks:\n  website: "\\e]0;pwned\\a"\n---\n'})
    result = run("check", "--source", root, color=True)
    assert "\x1b]0" not in result.stdout and "\a" not in result.stdout
    assert "\\u001b]0;pwned\\u0007" in result.stdout


def test_github_format_writes_workflow_commands(write_community):
    result = run("check", "--format", "github", "--source", write_community(BROKEN))
    assert result.stdout.splitlines() == [
        f"::error file={ADA},line=3,col=1,title=nmae (unknown-key)::unknown field `nmae` — did you mean `name`?",
        f"::warning file={BOB},line=3,col=15,title=connections.1 (pending-connection)::connection to `carol` "
        "is pending until carol lists you — ask carol to add `bob` to their connections",
    ]
    assert result.exit_code == 1


def test_github_format_escapes_what_would_break_a_command(write_community):
    root = write_community({"content/members/a,b.md": "---\nname: A\n---\n"})
    line = run("check", "--format", "github", "--source", root).stdout.splitlines()[0]
    assert line.startswith("::error file=content/members/a%2Cb.md,line=1,col=1,title=handle (bad-file-name)::")


def test_json_format_is_a_list_of_problem_objects(write_community):
    result = run("check", "--format", "json", "--source", write_community(BROKEN))
    assert json.loads(result.stdout) == [
        {"file": ADA, "line": 3, "column": 1, "field": "nmae", "code": "unknown-key", "severity": "error",
         "message": "unknown field `nmae`", "hint": "did you mean `name`?"},
        {"file": BOB, "line": 3, "column": 15, "field": "connections.1", "code": "pending-connection",
         "severity": "warning", "message": "connection to `carol` is pending until carol lists you",
         "hint": "ask carol to add `bob` to their connections"},
    ]
    assert result.exit_code == 1


def test_json_format_of_a_clean_community_is_an_empty_list(write_community):
    result = run("check", "--format", "json", "--source", write_community(CLEAN))
    assert json.loads(result.stdout) == [] and result.exit_code == 0


def test_check_paths_reports_only_those_files(write_community):
    root = write_community(BROKEN)
    result = run("check", "--format", "json", "--source", root, root / BOB)
    assert [p["file"] for p in json.loads(result.stdout)] == [BOB]
    assert result.exit_code == 0  # ada.md's error is not this PATH's
    assert result.stderr.strip() == "0 errors, 1 warning in 1 profile"


def test_check_paths_resolves_connections_against_the_whole_community(write_community):
    root = write_community({ADA: "---\nname: Ada\nconnections: [bob, zed]\n---\n", BOB: CLEAN[BOB]})
    result = run("check", "--format", "json", "--source", root, root / ADA)
    assert [(p["field"], p["code"]) for p in json.loads(result.stdout)] == [("connections.2", "unknown-connection")]


def test_check_paths_relative_to_the_current_folder(write_community, monkeypatch):
    monkeypatch.chdir(write_community(BROKEN))
    result = run("check", "--format", "json", ADA)
    assert [p["file"] for p in json.loads(result.stdout)] == [ADA]


def test_version_prints_the_version():
    result = run("--version")
    assert result.exit_code == 0 and result.stdout.strip() == f"connectory, version {__version__}"


def test_every_command_has_help():
    for name, command in cli.commands.items():
        result = run(name, "--help")
        assert result.exit_code == 0, name
        assert result.stdout.startswith(f"Usage: cli {name}"), name
        assert command.help, f"{name} has no help text"


def test_the_group_has_help():
    result = run("--help")
    assert result.exit_code == 0 and "check" in result.stdout and "new" in result.stdout


# connectory new


def test_new_writes_a_profile_that_passes_check(tmp_path: Path):
    result = run("new", "ada-lovelace", "--name", "Ada Lovelace", "--source", tmp_path)
    assert result.exit_code == 0
    path = tmp_path / "content/members/ada-lovelace.md"
    assert "name: \"Ada Lovelace\"" in path.read_text(encoding="utf-8")
    assert run("check", "--source", tmp_path).exit_code == 0


def test_new_asks_for_the_name_when_not_given(tmp_path: Path):
    result = run("new", "noor", "--source", tmp_path, input="نور الهدى\n")
    assert result.exit_code == 0 and "Your name" in result.stdout
    assert 'name: "نور الهدى"' in (tmp_path / "content/members/noor.md").read_text(encoding="utf-8")
    assert run("check", "--source", tmp_path).exit_code == 0


def test_new_refuses_an_existing_file(write_community):
    root = write_community(CLEAN)
    before = (root / ADA).read_text()
    result = run("new", "ada", "--name", "Someone Else", "--source", root)
    assert result.exit_code == 1 and "already exists" in result.stderr
    assert (root / ADA).read_text() == before


@pytest.mark.parametrize("handle", ["Ada", "ada_l", "ada--l", "a" * 40, "con", "../evil"])
def test_new_refuses_a_bad_handle(tmp_path: Path, handle):
    result = run("new", handle, "--name", "Ada", "--source", tmp_path)
    assert result.exit_code == 2
    assert not (tmp_path / "content").exists()


def test_new_refuses_an_empty_name(tmp_path: Path):
    assert run("new", "ada", "--name", "   ", "--source", tmp_path).exit_code == 2
