"""`connectory intros` and `connectory path` as scripts and terminals use them."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from generator.cli import cli
from tests.conftest import profile

COMMUNITY = {
    "content/members/ada.md": profile("Ada Lovelace", connections="[charles]", asks="[compiler design]"),
    "content/members/charles.md": profile("Charles Babbage", connections="[ada, grace, linus]"),
    "content/members/grace.md": profile("Grace Hopper", connections="[charles]", offers="[compiler design]"),
    "content/members/linus.md": profile("Linus Pauling", connections="[charles, mary]"),
    "content/members/mary.md": profile("Mary Somerville", connections="[linus]", introductions="false"),
    "content/members/nora.md": profile("Nora Alone"),
}


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_intros_json_lists_suggestions_with_introducers_score_and_reasons(write_community):
    result = run("intros", "ada", "--format", "json", "--source", write_community(COMMUNITY))
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["member"] == "ada"
    assert [(s["handle"], s["introducers"], s["score"]) for s in data["suggestions"]] == [
        ("grace", ["charles"], 11), ("linus", ["charles"], 1)]
    assert data["suggestions"][0]["reasons"] == ["Grace Hopper offers compiler design, which you ask for",
                                                 "Charles Babbage can introduce you"]


def test_intros_text_gives_the_reason_in_a_sentence(write_community):
    result = run("intros", "ada", "--source", write_community(COMMUNITY))
    assert "Grace Hopper offers compiler design, which you ask for; Charles Babbage can introduce you" in result.stdout


def test_intros_shows_the_top_ten_unless_all_is_asked(write_community):
    files = {"content/members/hub.md": profile("Hub", connections="[" + ", ".join(f"p{i:02d}" for i in range(13)) + "]")}
    files |= {f"content/members/p{i:02d}.md": profile(f"P {i}", connections="[hub]") for i in range(13)}
    source = write_community(files)
    top = json.loads(run("intros", "p00", "--format", "json", "--source", source).stdout)["suggestions"]
    everyone = json.loads(run("intros", "p00", "--all", "--format", "json", "--source", source).stdout)["suggestions"]
    assert (len(top), len(everyone)) == (10, 12) and top == everyone[:10]


def test_intros_never_names_a_member_who_does_not_introduce(write_community):
    result = run("intros", "linus", "--format", "json", "--source", write_community(COMMUNITY))
    assert all("mary" not in s["introducers"] for s in json.loads(result.stdout)["suggestions"])


def test_intros_for_an_unknown_handle_exits_2_with_did_you_mean(write_community):
    result = run("intros", "grcae", "--source", write_community(COMMUNITY))
    assert result.exit_code == 2
    assert "did you mean `grace`" in result.stderr


def test_intros_refuses_a_community_with_errors(write_community):
    source = write_community(COMMUNITY | {"content/members/bad.md": "---\nname: Bad\nnmae: x\n---\n"})
    result = run("intros", "ada", "--source", source)
    assert result.exit_code == 1
    assert "content/members/bad.md:3" in result.stderr


def test_path_json_gives_degrees_and_the_chain(write_community):
    result = run("path", "ada", "mary", "--format", "json", "--source", write_community(COMMUNITY))
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"from": "ada", "to": "mary", "degrees": 3,
                                         "path": ["ada", "charles", "linus", "mary"]}


def test_path_text_names_each_hop(write_community):
    result = run("path", "ada", "grace", "--source", write_community(COMMUNITY))
    assert result.stdout.splitlines()[0] == "Ada Lovelace → Charles Babbage → Grace Hopper: 2 degrees of separation"


def test_path_without_a_chain_is_null_and_exit_1(write_community):
    result = run("path", "ada", "nora", "--format", "json", "--source", write_community(COMMUNITY))
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {"from": "ada", "to": "nora", "degrees": None, "path": None}


def test_path_for_an_unknown_handle_exits_2_with_did_you_mean(write_community):
    result = run("path", "ada", "Grace", "--source", write_community(COMMUNITY))
    assert result.exit_code == 2 and "did you mean `grace`" in result.stderr


def test_path_refuses_a_community_with_errors(write_community):
    source = write_community(COMMUNITY | {"content/members/bad.md": "---\nname: Bad\nnmae: x\n---\n"})
    assert run("path", "ada", "grace", "--source", source).exit_code == 1
