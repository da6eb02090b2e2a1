"""Who may change what in a pull request, judged on a real git repository built in tmp_path.

The base community has three members: ada (links.github: ada-gh, avatar avatars/ada.png),
bob (links.github as a github.com URL, avatar avatars/bob.png) and nell (no owner); and one
maintainer, Maya-M, in site.yaml. Each test starts a branch from that base, makes the
changes a stranger, a member or a maintainer would make, and reads the verdicts.
"""

from __future__ import annotations

import json
import struct
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.ownership import login_of
from generator.pullrequest import pull_request_problems
from git_helpers import git

def png(side: int = 1) -> bytes:
    """A real, tiny PNG image."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + b"\x80" * side for _ in range(side))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def member(name: str, github: str | None = None, avatar: str | None = None) -> str:
    lines = ["---", f"name: {name}"]
    if avatar:
        lines.append(f"avatar: {avatar}")
    if github:
        lines += ["links:", f"  github: {github}"]  # links.github is on line 4 or 5
    return "\n".join(lines) + f"\n---\nBio of {name}.\n"


BASE = {
    "content/site.yaml": "title: Test community\nmaintainers: [Maya-M]\n",
    "content/members/ada.md": member("Ada", "ada-gh", "avatars/ada.png"),
    "content/members/bob.md": member("Bob", "https://github.com/BobB", "avatars/bob.png"),
    "content/members/nell.md": member("Nell"),
    "content/avatars/ada.png": png(),
    "content/avatars/bob.png": png(),
    "README.md": "# Test community\n",
}


def write(root: Path, files: dict[str, str | bytes]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode())


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The base community committed on main, with a pull-request branch checked out."""
    root = tmp_path / "community"
    root.mkdir()
    git(root, "init", "-q")
    write(root, BASE)
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "base")
    git(root, "checkout", "-q", "-b", "pr")
    return root


def commit(repo: Path, files: dict[str, str | bytes] | None = None, delete: tuple[str, ...] = (),
           rename: tuple[tuple[str, str], ...] = ()) -> None:
    write(repo, files or {})
    for old, new in rename:
        git(repo, "mv", old, new)
    for rel in delete:
        git(repo, "rm", "-q", rel)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", "pull request")


def verdicts(repo: Path, author: str) -> list[tuple[str, int, str, str]]:
    """(file, line, field, code) of every ownership problem, sorted."""
    return sorted((p.file, p.line, p.field, p.code) for p in pull_request_problems(repo, author, "main", []))


# A member changing what is theirs


def test_member_may_edit_own_profile(repo: Path) -> None:
    commit(repo, {"content/members/ada.md": member("Ada Lovelace", "ada-gh", "avatars/ada.png")})
    assert verdicts(repo, "ada-gh") == []


def test_logins_compare_case_insensitively(repo: Path) -> None:
    commit(repo, {"content/members/ada.md": member("Ada Lovelace", "ada-gh", "avatars/ada.png")})
    assert verdicts(repo, "ADA-GH") == []


def test_github_url_names_the_owner(repo: Path) -> None:
    commit(repo, {"content/members/bob.md": member("Bob B.", "https://github.com/BobB", "avatars/bob.png")})
    assert verdicts(repo, "bobb") == []


def test_member_may_add_own_profile(repo: Path) -> None:
    commit(repo, {"content/members/cy.md": member("Cy", "cy-gh")})
    assert verdicts(repo, "cy-gh") == []


def test_member_may_delete_own_profile(repo: Path) -> None:
    commit(repo, delete=("content/members/ada.md",))
    assert verdicts(repo, "ada-gh") == []


def test_member_may_rename_own_profile(repo: Path) -> None:
    commit(repo, rename=(("content/members/ada.md", "content/members/ada-lovelace.md"),))
    assert verdicts(repo, "ada-gh") == []


def test_member_may_change_own_avatar(repo: Path) -> None:
    commit(repo, {"content/avatars/ada.png": png(2)})
    assert verdicts(repo, "ada-gh") == []


def test_member_may_add_an_avatar_their_profile_points_at(repo: Path) -> None:
    commit(repo, {"content/avatars/ada-2.png": png(),
                  "content/members/ada.md": member("Ada", "ada-gh", "avatars/ada-2.png")})
    assert verdicts(repo, "ada-gh") == []


def test_new_member_may_add_profile_and_avatar_together(repo: Path) -> None:
    commit(repo, {"content/members/cy.md": member("Cy", "cy-gh", "avatars/cy.png"),
                  "content/avatars/cy.png": png()})
    assert verdicts(repo, "cy-gh") == []


# A member, or a stranger, changing what is not theirs


def test_editing_another_members_profile_is_refused_on_its_github_line(repo: Path) -> None:
    commit(repo, {"content/members/ada.md": member("Ada (edited by Bob)", "ada-gh", "avatars/ada.png")})
    assert verdicts(repo, "bobb") == [("content/members/ada.md", 5, "links.github", "not-owner")]


def test_claiming_a_profile_by_rewriting_its_github_is_refused(repo: Path) -> None:
    commit(repo, {"content/members/ada.md": member("Ada", "mallory", "avatars/ada.png")})
    assert verdicts(repo, "mallory") == [("content/members/ada.md", 5, "links.github", "not-owner")]


def test_editing_a_profile_without_owner_is_refused(repo: Path) -> None:
    commit(repo, {"content/members/nell.md": member("Nell", "nell-gh")})
    assert verdicts(repo, "nell-gh") == [("content/members/nell.md", 4, "links.github", "not-owner")]


def test_new_profile_for_someone_else_is_refused(repo: Path) -> None:
    commit(repo, {"content/members/dee.md": member("Dee", "dee-gh")})
    assert verdicts(repo, "stranger") == [("content/members/dee.md", 4, "links.github", "not-owner")]


def test_new_profile_without_owner_is_refused_on_line_one(repo: Path) -> None:
    commit(repo, {"content/members/dee.md": member("Dee")})
    assert verdicts(repo, "dee-gh") == [("content/members/dee.md", 1, "links.github", "not-owner")]


def test_deleting_another_members_profile_is_refused(repo: Path) -> None:
    commit(repo, delete=("content/members/bob.md",))
    assert verdicts(repo, "ada-gh") == [("content/members/bob.md", 1, "links.github", "not-owner")]


def test_renaming_another_members_profile_is_refused_at_the_new_path(repo: Path) -> None:
    commit(repo, rename=(("content/members/bob.md", "content/members/robert.md"),))
    assert verdicts(repo, "ada-gh") == [("content/members/robert.md", 5, "links.github", "not-owner")]


def test_changing_site_yaml_is_for_maintainers_only(repo: Path) -> None:
    commit(repo, {"content/site.yaml": "title: Mine now\nmaintainers: [Maya-M]\n"})
    assert verdicts(repo, "ada-gh") == [("content/site.yaml", 1, "", "maintainers-only")]


def test_adding_oneself_to_maintainers_does_not_count_in_the_same_pull_request(repo: Path) -> None:
    commit(repo, {"content/site.yaml": "title: Test community\nmaintainers: [Maya-M, ada-gh]\n",
                  "content/members/bob.md": member("Bob?", "https://github.com/BobB")})
    assert [v[3] for v in verdicts(repo, "ada-gh")] == ["not-owner", "maintainers-only"]


def test_any_file_outside_members_and_avatars_is_for_maintainers_only(repo: Path) -> None:
    commit(repo, {"README.md": "# Hacked\n", ".github/workflows/check.yml": "on: push\n",
                  "content/pages/about.md": "About\n"})
    assert verdicts(repo, "ada-gh") == [(".github/workflows/check.yml", 1, "", "maintainers-only"),
                                        ("README.md", 1, "", "maintainers-only"),
                                        ("content/pages/about.md", 1, "", "maintainers-only")]


def test_changing_another_members_avatar_is_refused(repo: Path) -> None:
    commit(repo, {"content/avatars/bob.png": png(3)})
    assert verdicts(repo, "ada-gh") == [("content/avatars/bob.png", 1, "", "not-owner")]


def test_pointing_at_another_members_avatar_does_not_make_it_yours(repo: Path) -> None:
    commit(repo, {"content/members/ada.md": member("Ada", "ada-gh", "avatars/bob.png"),
                  "content/avatars/bob.png": png(3)})
    assert verdicts(repo, "ada-gh") == [("content/avatars/bob.png", 1, "", "not-owner")]


def test_an_avatar_no_profile_of_the_author_points_at_is_refused(repo: Path) -> None:
    commit(repo, {"content/avatars/stray.png": png()})
    assert verdicts(repo, "ada-gh") == [("content/avatars/stray.png", 1, "", "not-owner")]


def test_avatar_of_a_refused_profile_is_refused_too(repo: Path) -> None:
    commit(repo, {"content/members/dee.md": member("Dee", "dee-gh", "avatars/dee.png"),
                  "content/avatars/dee.png": png()})
    assert verdicts(repo, "stranger") == [("content/avatars/dee.png", 1, "", "not-owner"),
                                          ("content/members/dee.md", 5, "links.github", "not-owner")]


# A maintainer


def test_maintainer_may_change_anything(repo: Path) -> None:
    commit(repo, {"content/members/ada.md": member("Ada", "ada-gh"), "content/site.yaml": "title: New\n",
                  "content/avatars/bob.png": png(2), "README.md": "# New\n"}, delete=("content/members/nell.md",))
    assert verdicts(repo, "maya-m") == []


def test_maintainers_are_read_from_the_base_so_a_removed_maintainer_still_counts(repo: Path) -> None:
    commit(repo, {"content/site.yaml": "title: Test community\nmaintainers: []\n"})
    assert verdicts(repo, "Maya-M") == []


# Where the changes come from


def test_uncommitted_and_untracked_changes_count(repo: Path) -> None:
    write(repo, {"content/members/bob.md": member("Bob!", "https://github.com/BobB"), "notes.txt": "x\n"})
    assert verdicts(repo, "ada-gh") == [("content/members/bob.md", 4, "links.github", "not-owner"),
                                        ("notes.txt", 1, "", "maintainers-only")]


def test_changes_are_counted_from_where_the_branch_left_the_base(repo: Path) -> None:
    commit(repo, {"content/members/ada.md": member("Ada L.", "ada-gh", "avatars/ada.png")})
    git(repo, "checkout", "-q", "main")
    commit(repo, {"README.md": "# Moved on\n"})  # main moves on after the branch was made
    git(repo, "checkout", "-q", "pr")
    assert verdicts(repo, "ada-gh") == []


def test_changed_paths_can_be_listed_instead_of_asked_from_git(repo: Path) -> None:
    write(repo, {"content/members/ada.md": member("Ada L.", "ada-gh")})
    problems = pull_request_problems(repo, "bobb", None, ["content/members/ada.md", "./README.md"])
    assert sorted((p.file, p.code) for p in problems) == [("README.md", "maintainers-only"),
                                                          ("content/members/ada.md", "not-owner")]


def test_listed_changes_are_judged_on_the_base_when_given(repo: Path) -> None:
    commit(repo, {"content/members/ada.md": member("Ada", "mallory")}, delete=("content/members/bob.md",))
    problems = pull_request_problems(repo, "mallory", "main", ["content/members/ada.md", "content/members/bob.md"])
    assert sorted((p.file, p.line, p.code) for p in problems) == [("content/members/ada.md", 4, "not-owner"),
                                                                  ("content/members/bob.md", 1, "not-owner")]


def test_community_in_a_subfolder_of_the_repository(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    write(root / "directory", BASE)
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "base")
    write(root / "directory", {"content/members/bob.md": member("Bob?", "https://github.com/BobB")})
    write(root, {"LICENSE": "MIT\n"})
    problems = pull_request_problems(root / "directory", "ada-gh", "HEAD", [])
    assert sorted((p.file, p.code) for p in problems) == [("LICENSE", "maintainers-only"),
                                                          ("content/members/bob.md", "not-owner")]


def test_login_of_reads_usernames_and_github_urls_only() -> None:
    assert [login_of(v) for v in ("Ada", "@ada", "https://github.com/Ada/", "https://www.github.com/ada?tab=x",
                                  "https://gitlab.com/ada", "https://ada.github.io/", None)] == \
        ["ada", "ada", "ada", "ada", "", "", ""]


# Through the command line


def run(repo: Path, *args: str):
    return CliRunner().invoke(cli, ["check", "--source", str(repo), *args], catch_exceptions=False)


def test_check_reports_ownership_as_github_annotations_and_fails(repo: Path) -> None:
    commit(repo, {"content/members/ada.md": member("Ada (edited by Bob)", "ada-gh", "avatars/ada.png")})
    result = run(repo, "--format", "github", "--author", "BobB", "--base", "main")
    assert result.exit_code == 1
    assert result.stdout.startswith("::error file=content/members/ada.md,line=5,col=1,title=links.github (not-owner)::")


def test_check_joins_ownership_problems_with_the_others_in_json(repo: Path) -> None:
    commit(repo, {"content/members/dee.md": "---\nname: Dee\nfoo: 1\n---\n"})
    result = run(repo, "--format", "json", "--author", "dee-gh", "--base", "main")
    assert sorted((p["code"], p["line"]) for p in json.loads(result.stdout)) == [("not-owner", 1), ("unknown-key", 3)]


def test_check_passes_a_members_own_change(repo: Path) -> None:
    commit(repo, {"content/members/ada.md": member("Ada Lovelace", "ada-gh", "avatars/ada.png")})
    assert run(repo, "--author", "ada-gh", "--base", "main").exit_code == 0


def test_check_author_needs_base_or_changed(repo: Path) -> None:
    result = run(repo, "--author", "ada-gh")
    assert result.exit_code == 2 and "--base" in result.output


def test_check_base_needs_author(repo: Path) -> None:
    assert run(repo, "--base", "main").exit_code == 2


def test_check_names_an_unknown_base_ref(repo: Path) -> None:
    result = run(repo, "--author", "ada-gh", "--base", "origin/nowhere")
    assert result.exit_code == 2 and "fetch-depth: 0" in result.output

