"""`connectory init` scaffolds a community that passes the check at once; `new` and `init`
write profiles that carry the editor schema hint; a new member's pull request passes."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner

from generator.cli import cli
from generator.schema import schema_text
from git_helpers import git

SCAFFOLD = {
    ".github/workflows/check.yml", ".github/workflows/deploy.yml", ".gitignore", "CONTRIBUTING.md", "README.md",
    "content/avatars/.gitkeep", "content/members/ada-lovelace.md", "content/pages/about.md", "content/site.yaml",
    "profile-template.md", "profile.schema.json",
}
HINT = "# yaml-language-server: $schema="


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def files_in(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and ".git/" not in
            p.relative_to(folder).as_posix() + "/"}


def test_init_writes_every_file_of_a_community(tmp_path: Path) -> None:
    result = invoke("init", str(tmp_path / "club"))
    assert result.exit_code == 0, result.output
    assert files_in(tmp_path / "club") == SCAFFOLD


def test_init_result_passes_check_at_once(tmp_path: Path) -> None:
    invoke("init", str(tmp_path / "club"))
    result = invoke("check", "--source", str(tmp_path / "club"), "--strict")
    assert result.exit_code == 0, result.output
    assert "0 errors, 0 warnings in 1 profile" in result.output


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine\n")
    result = invoke("init", str(tmp_path))
    assert result.exit_code == 1 and "--force" in result.output
    assert files_in(tmp_path) == {"notes.txt"}


def test_init_accepts_a_folder_holding_only_a_fresh_git_repository(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    assert invoke("init", str(tmp_path)).exit_code == 0
    assert files_in(tmp_path) == SCAFFOLD


def test_init_force_adds_missing_files_and_keeps_existing_ones(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# Our own readme\n")
    result = invoke("init", str(tmp_path), "--force")
    assert result.exit_code == 0
    assert "kept README.md" in result.output
    assert (tmp_path / "README.md").read_text() == "# Our own readme\n"
    assert files_in(tmp_path) == SCAFFOLD


def test_init_refuses_a_file_as_folder(tmp_path: Path) -> None:
    (tmp_path / "club").write_text("x")
    assert invoke("init", str(tmp_path / "club"), "--force").exit_code == 2


def test_init_title_defaults_to_the_folder_name(tmp_path: Path) -> None:
    invoke("init", str(tmp_path / "berlin-makers"))
    site = yaml.safe_load((tmp_path / "berlin-makers/content/site.yaml").read_text())
    assert site["title"] == "Berlin makers"


def test_init_title_reaches_settings_readme_and_guide(tmp_path: Path) -> None:
    invoke("init", str(tmp_path), "--title", 'Ünïcode "Quoted": club')
    site = yaml.safe_load((tmp_path / "content/site.yaml").read_text())
    assert site["title"] == 'Ünïcode "Quoted": club'
    assert (tmp_path / "README.md").read_text().startswith('# Ünïcode "Quoted": club\n')
    assert 'Adding yourself to Ünïcode "Quoted": club' in (tmp_path / "CONTRIBUTING.md").read_text()


def test_init_refuses_a_title_of_several_lines(tmp_path: Path) -> None:
    assert invoke("init", str(tmp_path), "--title", "one\ntwo").exit_code == 2


def test_init_writes_maintainers_as_text_even_when_yaml_would_read_a_number(tmp_path: Path) -> None:
    invoke("init", str(tmp_path), "--maintainer", "Alice", "--maintainer", "123")
    assert yaml.safe_load((tmp_path / "content/site.yaml").read_text())["maintainers"] == ["Alice", "123"]


def test_init_refuses_a_maintainer_that_is_not_a_login(tmp_path: Path) -> None:
    assert invoke("init", str(tmp_path), "--maintainer", "not a login").exit_code == 2


def test_init_gitignore_keeps_output_and_cache_out_of_git(tmp_path: Path) -> None:
    invoke("init", str(tmp_path))
    lines = (tmp_path / ".gitignore").read_text().splitlines()
    assert "site/" in lines and ".connectory-cache/" in lines


def test_init_avatars_folder_is_kept_in_git(tmp_path: Path) -> None:
    invoke("init", str(tmp_path))
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    assert "content/avatars/.gitkeep" in git(tmp_path, "ls-files").splitlines()


def test_contributing_guide_walks_a_member_through_a_pull_request(tmp_path: Path) -> None:
    invoke("init", str(tmp_path))
    guide = (tmp_path / "CONTRIBUTING.md").read_text()
    for step in ("Fork", "connectory new", "profile-template.md", "links: github:", "pull request", "Files changed"):
        assert step in guide, step


# The editor schema hint


def hint_target(profile: Path) -> Path:
    """The file a profile's schema hint points at, resolved as editors do: relative to the profile."""
    line = next(line for line in profile.read_text().splitlines() if line.startswith(HINT))
    return (profile.parent / line.removeprefix(HINT)).resolve()


def test_sample_profile_hint_points_at_the_schema_init_wrote(tmp_path: Path) -> None:
    invoke("init", str(tmp_path))
    target = hint_target(tmp_path / "content/members/ada-lovelace.md")
    assert target == (tmp_path / "profile.schema.json").resolve()
    assert json.loads(target.read_text()) == json.loads(schema_text("profile"))


def test_new_profile_hint_points_at_the_schema_init_wrote(tmp_path: Path) -> None:
    invoke("init", str(tmp_path))
    invoke("new", "grace", "--name", "Grace Hopper", "--source", str(tmp_path))
    assert hint_target(tmp_path / "content/members/grace.md") == (tmp_path / "profile.schema.json").resolve()


def test_new_profile_hint_points_at_the_published_schema_when_the_site_address_is_known(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "content/site.yaml").write_text("base_url: https://example.org/club\n")
    invoke("new", "grace", "--name", "Grace Hopper", "--source", str(tmp_path))
    assert f"{HINT}https://example.org/club/schema/profile.json\n" in (tmp_path / "content/members/grace.md").read_text()


def test_copied_template_passes_check(tmp_path: Path) -> None:
    invoke("init", str(tmp_path))
    (tmp_path / "content/members/your-handle.md").write_text((tmp_path / "profile-template.md").read_text())
    assert hint_target(tmp_path / "content/members/your-handle.md") == (tmp_path / "profile.schema.json").resolve()
    assert invoke("check", "--source", str(tmp_path)).exit_code == 0


def test_new_with_github_writes_links_github(tmp_path: Path) -> None:
    invoke("init", str(tmp_path))
    invoke("new", "grace", "--name", "Grace", "--github", "GraceH", "--source", str(tmp_path))
    data = yaml.safe_load((tmp_path / "content/members/grace.md").read_text().split("---")[1])
    assert data["links"] == {"github": "GraceH"}


def test_new_refuses_a_github_value_that_is_not_a_login(tmp_path: Path) -> None:
    result = invoke("new", "grace", "--name", "Grace", "--github", "https://github.com/g", "--source", str(tmp_path))
    assert result.exit_code == 2


# The path CONTRIBUTING.md describes, end to end


def community_repo(tmp_path: Path) -> Path:
    root = tmp_path / "club"
    invoke("init", str(root), "--maintainer", "Maya-M")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "Start the directory")
    git(root, "checkout", "-q", "-b", "grace-joins")
    return root


def test_new_members_pull_request_passes_the_check(tmp_path: Path) -> None:
    root = community_repo(tmp_path)
    invoke("new", "grace", "--name", "Grace Hopper", "--github", "GraceH", "--source", str(root))
    result = invoke("check", "--source", str(root), "--format", "github", "--author", "graceh", "--base", "main")
    assert result.exit_code == 0, result.output


def test_someone_else_adding_that_profile_fails_the_check(tmp_path: Path) -> None:
    root = community_repo(tmp_path)
    invoke("new", "grace", "--name", "Grace Hopper", "--github", "GraceH", "--source", str(root))
    result = invoke("check", "--source", str(root), "--format", "github", "--author", "mallory", "--base", "main")
    assert result.exit_code == 1
    assert "::error file=content/members/grace.md,line=15,col=1,title=links.github (not-owner)::" in result.output


def test_only_a_maintainer_may_edit_the_sample_profile(tmp_path: Path) -> None:
    root = community_repo(tmp_path)
    sample = root / "content/members/ada-lovelace.md"
    sample.write_text(sample.read_text().replace("London, UK", "Paris"))
    member = invoke("check", "--source", str(root), "--author", "graceh", "--base", "main")
    maintainer = invoke("check", "--source", str(root), "--author", "maya-m", "--base", "main")
    assert (member.exit_code, maintainer.exit_code) == (1, 0)


# Building what init wrote


def test_init_result_builds_a_site(tmp_path: Path) -> None:
    invoke("init", str(tmp_path))
    result = invoke("build", "--source", str(tmp_path))
    assert result.exit_code == 0, result.output
    for page in ("index.html", "members/ada-lovelace/index.html", "about/index.html", "schema/profile.json"):
        assert (tmp_path / "site" / page).is_file(), page


def test_init_result_builds_for_a_github_pages_sub_path(tmp_path: Path) -> None:
    invoke("init", str(tmp_path))
    # What the deploy workflow runs, with the address actions/configure-pages gives a project site.
    assert invoke("build", "--source", str(tmp_path), "--base-url", "https://octo.github.io/club/").exit_code == 0
    home = (tmp_path / "site/index.html").read_text()
    assert 'href="/club/members/ada-lovelace/"' in home and 'href="/members/' not in home


def test_init_output_is_ignored_by_git(tmp_path: Path) -> None:
    invoke("init", str(tmp_path))
    invoke("build", "--source", str(tmp_path))
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    assert not [f for f in git(tmp_path, "ls-files").splitlines() if f.startswith(("site/", ".connectory-cache/"))]
