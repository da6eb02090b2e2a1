"""Profiles we did not write: public social-network data sets turned into a community, and hostile files.

The data sets ship with networkx (a dependency already): Les Misérables co-appearances, Zachary's
karate club, the Florentine families' marriages and the Southern Women's co-attendance. Each edge
becomes a connection listed on both sides, except every seventh, listed by one side only: those,
and nothing else, must come back as pending warnings.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import pytest
import yaml
from click.testing import CliRunner

from generator.cli import cli
from generator.community import load_community
from generator.content import MAX_FILE_BYTES
from generator.graph import build_network
from generator.models import slugify
from generator.validate import handle_problem

# --- a public data set as profiles -------------------------------------------------------------


def _les_miserables() -> tuple[nx.Graph, dict[str, dict]]:
    graph = nx.les_miserables_graph()
    return graph, {n: {"fields": ["les misérables"]} for n in graph}


def _karate_club() -> tuple[nx.Graph, dict[str, dict]]:
    graph = nx.relabel_nodes(nx.karate_club_graph(), lambda n: f"Member {n}")
    return graph, {n: {"fields": ["karate"], "interests": [f"club {club}"]}
                   for n, club in graph.nodes(data="club")}


def _florentine_families() -> tuple[nx.Graph, dict[str, dict]]:
    graph = nx.florentine_families_graph()
    return graph, {n: {"location": "Florence", "fields": ["banking", "politics"]} for n in graph}


def _southern_women() -> tuple[nx.Graph, dict[str, dict]]:
    """Women linked when they met at four or more events; the events they attended are interests."""
    davis = nx.davis_southern_women_graph()
    women = [n for n, side in davis.nodes(data="bipartite") if side == 0]
    projected = nx.bipartite.weighted_projected_graph(davis, women)
    graph = nx.Graph((a, b, d) for a, b, d in projected.edges(data=True) if d["weight"] >= 4)
    graph.add_nodes_from(women)
    return graph, {w: {"interests": sorted(f"Event {e}" for e in davis[w]),
                       "offers": [{"topic": "Hosting", "detail": f"I went to {len(davis[w])} events."}]}
                   for w in women}


DATA_SETS: dict[str, Callable[[], tuple[nx.Graph, dict[str, dict]]]] = {
    "les-miserables": _les_miserables, "karate-club": _karate_club,
    "florentine-families": _florentine_families, "southern-women": _southern_women,
}


def _display_name(node: str) -> str:
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", node)  # "MlleBaptistine" -> "Mlle Baptistine"


def _strength(weight: int) -> str:
    return "close" if weight >= 5 else "regular" if weight >= 2 else "acquaintance"


def as_profiles(graph: nx.Graph, extra: dict[str, dict]) -> tuple[dict[str, str], set[tuple[str, str]]]:
    """Profiles {path: text} written by PyYAML's emitter, and the (claimer, claimed) pairs left one-sided."""
    handle = {n: slugify(_display_name(str(n))) for n in graph}
    assert all(handle_problem(h) is None for h in handle.values()) and len(set(handle.values())) == len(graph)
    listed: dict[str, list] = {n: [] for n in graph}
    one_sided = set()
    for i, (a, b, data) in enumerate(sorted(graph.edges(data=True), key=lambda e: (str(e[0]), str(e[1])))):
        weight = int(data.get("weight", 1))
        entry = {"strength": _strength(weight), "context": f"Seen together {weight} time(s)."}
        listed[a].append({"handle": handle[b], **entry} if weight > 1 else handle[b])
        if i % 7 == 6:
            one_sided.add((handle[a], handle[b]))
        else:
            listed[b].append({"handle": handle[a], **entry, "since": 1832} if weight > 1 else handle[a])
    files = {}
    for node in graph:
        data = {"name": _display_name(str(node)), **extra.get(node, {})}
        if listed[node]:
            data["connections"] = listed[node]
        front = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        files[f"content/members/{handle[node]}.md"] = f"---\n{front}---\nFrom a public data set.\n"
    return files, one_sided


@pytest.mark.parametrize("name", sorted(DATA_SETS))
def test_a_public_social_network_checks_with_only_the_intended_warnings(write_community, name):
    graph, extra = DATA_SETS[name]()
    files, one_sided = as_profiles(graph, extra)
    loaded = load_community(write_community(files))
    assert loaded.errors == []
    assert {p.code for p in loaded.problems} <= {"pending-connection"}
    assert len(loaded.problems) == len(one_sided)
    network = build_network(loaded.community)
    assert set(network.pending) == one_sided
    confirmed = sum(len(c) for c in network.connections.values()) // 2
    assert confirmed == graph.number_of_edges() - len(one_sided)


def test_a_public_social_network_passes_the_cli_check(write_community):
    files, one_sided = as_profiles(*_les_miserables())
    root = write_community(files)
    result = CliRunner().invoke(cli, ["check", "--format", "json", "--source", str(root)], catch_exceptions=False)
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == len(one_sided)


# --- hostile and broken files ------------------------------------------------------------------

def _billion_laughs(levels: int = 9) -> str:
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, levels)]
    return "---\nname: Ada\n" + "\n".join(lines) + "\n---\n"


BOMB = _billion_laughs()

# handle -> (file content, line of the first error, its code)
HOSTILE: dict[str, tuple[str | bytes, int, str]] = {
    "malformed-yaml": ("---\nname: Ada\nfields: [maths, {music\n---\n", 4, "yaml-syntax"),
    "missing-closing-fence": ("---\nname: Ada\nheadline: Engines\nA bio that never starts.\n", 1,
                              "unclosed-front-matter"),
    "tab-indented": ("---\nname: Ada\nfields:\n\t- maths\n---\n", 4, "yaml-syntax"),
    "yaml-bomb": (BOMB, 3, "yaml-anchor"),
    "deep-nesting": ("---\nname: Ada\nfields: " + "[" * 900 + "]" * 900 + "\n---\n", 3, "too-deep"),
    "deeper-than-libyaml": ("---\nname: Ada\nfields:\n  " + "[" * 30_000 + "\n---\n", 4, "too-deep"),
    "huge-file": ("---\nname: Ada\n---\n" + "All work and no play. " * (300 * 1024 // 22), 1, "file-too-large"),
    "nul-bytes": (b"---\nname: Ada\nheadline: a\x00b\n---\n", 3, "nul-byte"),
    "invalid-utf8": (b"---\nname: Ada\n---\nCaf\xe9 au lait, \x93smart quotes\x94.\n", 4, "bad-encoding"),
    "utf16": ("---\nname: Ada\n---\nBio.\n".encode("utf-16"), 1, "bad-encoding"),
    "utf16-no-bom": ("---\nname: Ada\n---\n".encode("utf-16-le"), 1, "nul-byte"),
    "name-no": ("---\nname: no\n---\n", 2, "wrong-type"),
    "name-octal": ("---\nname: 0123\n---\n", 2, "wrong-type"),
    "date-as-time": ("---\nname: Ada\njoined: 2020-01-01 12:00:00\n---\n", 3, "bad-format"),
    "date-as-text": ("---\nname: Ada\nlocation: London\ninterests: [2020-01-01, 12:30]\n---\n", 4, "wrong-type"),
    "huge-int": ("---\nname: Ada\nheadline: " + "7" * 20_000 + "\n---\n", 3, "value-too-long"),
    "big-int": ("---\nname: Ada\nheadline: " + "7" * 5_000 + "\n---\n", 3, "bad-value"),
    "python-object": ("---\nname: !!python/object/apply:os.system ['touch /tmp/pwned']\n---\n", 2, "yaml-tag"),
    "jekyll-keys": ("---\nname: Ada\nlayout: default\npermalink: /admin/\n---\n", 3, "unknown-key"),
    "merge-key": ("---\nname: Ada\n<<: {headline: x}\n---\n", 3, "unknown-key"),
    "duplicate-name": ("---\nname: Ada\nname: Eve\n---\n", 3, "duplicate-key"),
    "escape-sequence": ('---\nname: "Ada\\e[2J\\e[H"\n---\n', 2, "control-character"),
    "raw-escape": ("---\nname: Ada\x1b[2J\n---\n", 2, "control-character"),
    "bidi-spoof": ('---\nname: "Ada \\u202eecalevoL"\n---\n', 2, "invisible-characters"),
    "list-front-matter": ("---\n- name: Ada\n---\n", 2, "not-a-mapping"),
    "binary-image": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, 3, "nul-byte"),
    "empty-file": ("", 1, "no-front-matter"),
    "only-a-fence": ("---\n", 1, "unclosed-front-matter"),
    "too-many-connections": ("---\nname: Ada\nconnections: [" + ", ".join(f"m{i}" for i in range(301)) + "]\n---\n",
                             3, "too-many"),
    "javascript-link": ("---\nname: Ada\nlinks:\n  website: javascript:alert(document.cookie)\n---\n", 4,
                        "bad-format"),
    "avatar-escape": ("---\nname: Ada\navatar: ../../../../etc/passwd\n---\n", 3, "avatar-outside"),
    "long-block-scalar": ("---\nname: Ada\nheadline: |\n" + "  line\n" * 3000 + "---\n", 3, "value-too-long"),
    "several-documents": ("---\nname: Ada\n--- {name: Eve}\n---\n", 3, "several-documents"),
}


@pytest.fixture(scope="module")
def hostile_community(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    members = root / "content" / "members"
    members.mkdir(parents=True)
    for handle, (content, _, _) in HOSTILE.items():
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        (members / f"{handle}.md").write_bytes(data)
    (members / "fine.md").write_text("---\nname: Fine\n---\nA profile with nothing wrong.\n", encoding="utf-8")
    return root


def test_every_hostile_file_has_a_handle_as_its_name():
    assert all(handle_problem(h) is None for h in HOSTILE)


def test_hostile_files_are_loaded_without_a_crash(hostile_community):
    loaded = load_community(hostile_community)
    assert [m.handle for m in loaded.community.members] == ["fine"]


@pytest.fixture(scope="module")
def hostile_errors(hostile_community) -> list:
    return load_community(hostile_community).errors


@pytest.mark.parametrize("handle", sorted(HOSTILE))
def test_each_hostile_file_is_an_error_on_its_line(hostile_errors, handle):
    _, line, code = HOSTILE[handle]
    errors = [p for p in hostile_errors if p.file == f"content/members/{handle}.md"]
    assert errors, f"{handle} was accepted"
    assert (errors[0].line, errors[0].code) == (line, code), errors


def test_the_well_formed_profile_among_them_has_no_problem(hostile_community):
    assert [p for p in load_community(hostile_community).problems if p.file == "content/members/fine.md"] == []


@pytest.mark.parametrize("fmt", ["text", "github", "json"])
def test_check_reports_every_hostile_file_in_every_format(hostile_community, fmt):
    result = CliRunner().invoke(cli, ["check", "--format", fmt, "--source", str(hostile_community)],
                                catch_exceptions=False)
    assert result.exit_code == 1
    for handle in HOSTILE:
        assert f"content/members/{handle}.md" in result.stdout
    if fmt == "json":
        assert all(p["line"] >= 1 for p in json.loads(result.stdout))
    assert "\x1b" not in result.stdout and "\x00" not in result.stdout


def test_a_hostile_file_is_over_the_cap_as_intended():
    assert len(HOSTILE["huge-file"][0]) > MAX_FILE_BYTES
