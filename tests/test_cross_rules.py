"""Rules between profiles (handles, connections) and topics normalised through site.yaml's aliases."""

from __future__ import annotations

from generator.community import load_community
from generator.errors import Problem
from generator.graph import build_network


def member(name: str, *connections: str, extra: str = "") -> str:
    listed = f"connections: [{', '.join(connections)}]\n" if connections else ""
    return f"---\nname: {name}\n{listed}{extra}---\n"


def m(handle: str) -> str:
    return f"content/members/{handle}.md"


def problems_of(write_community, files: dict[str, str]) -> list[Problem]:
    return load_community(write_community(files)).problems


def only(found: list[Problem]) -> Problem:
    assert len(found) == 1, found
    return found[0]


def located(p: Problem) -> tuple[str, int, str, str]:
    return p.file, p.line, p.field, p.code


def test_connections_listed_both_ways_have_no_problem(write_community):
    assert problems_of(write_community, {m("ada"): member("Ada", "bob"), m("bob"): member("Bob", "ada")}) == []


def test_a_one_sided_connection_is_a_pending_warning(write_community):
    p = only(problems_of(write_community, {m("ada"): member("Ada", "bob"), m("bob"): member("Bob")}))
    assert located(p) == (m("ada"), 3, "connections.1", "pending-connection")
    assert p.severity == "warning"
    assert p.message == "connection to `bob` is pending until bob lists you"


def test_a_one_sided_connection_is_not_in_the_network(write_community):
    loaded = load_community(write_community({m("ada"): member("Ada", "bob"), m("bob"): member("Bob")}))
    network = build_network(loaded.community)
    assert network.connections["ada"] == () and network.pending == (("ada", "bob"),)


def test_a_connection_to_an_unknown_handle_suggests_a_close_one(write_community):
    found = problems_of(write_community, {m("ada"): member("Ada", "grace-hoper"), m("grace-hopper"): member("Grace")})
    p = only(found)
    assert located(p) == (m("ada"), 3, "connections.1", "unknown-connection")
    assert p.hint == "did you mean `grace-hopper`?"


def test_an_unknown_handle_that_starts_a_handle_suggests_it(write_community):
    p = only(problems_of(write_community, {m("ada"): member("Ada", "grace"), m("grace-hopper"): member("Grace")}))
    assert (p.code, p.hint) == ("unknown-connection", "did you mean `grace-hopper`?")


def test_an_unknown_handle_matching_a_name_suggests_its_handle(write_community):
    found = problems_of(write_community, {m("ada"): member("Ada", "amazing-grace"),
                                          m("gh"): member("Amazing Grace")})
    assert only(found).hint == "did you mean `gh`?"


def test_an_unknown_handle_with_nothing_close_explains_handles(write_community):
    p = only(problems_of(write_community, {m("ada"): member("Ada", "zebedee"), m("bob"): member("Bob")}))
    assert p.code == "unknown-connection" and "file name" in p.hint


def test_an_unknown_handle_in_a_mapping_is_reported_on_its_item(write_community):
    text = "---\nname: Ada\nconnections:\n  - bob\n  - handle: carol\n    context: x\n---\n"
    found = problems_of(write_community, {m("ada"): text, m("bob"): member("Bob", "ada")})
    assert located(only(found)) == (m("ada"), 5, "connections.2", "unknown-connection")


def test_a_connection_to_a_broken_profile_is_not_unknown(write_community):
    found = problems_of(write_community, {m("ada"): member("Ada", "bob"), m("bob"): "---\nname: [\n---\n"})
    assert [p.code for p in found] == ["yaml-syntax"]


def test_duplicate_handles_differing_in_case_are_an_error_on_the_misnamed_file(write_community):
    found = problems_of(write_community, {m("ada"): member("Ada"), m("ADA"): member("Ada Two")})
    clash = [p for p in found if p.code == "duplicate-handle"]
    assert [located(p) for p in clash] == [(m("ADA"), 1, "handle", "duplicate-handle")]
    assert "`ada`" in clash[0].message


def test_duplicate_handles_differing_in_width_are_an_error(write_community):
    found = problems_of(write_community, {m("ada"): member("Ada"), m("ａｄａ"): member("Ada Wide")})
    assert [located(p) for p in found if p.code == "duplicate-handle"] == [(m("ａｄａ"), 1, "handle",
                                                                            "duplicate-handle")]


def test_two_members_with_the_same_name_is_a_warning_on_both(write_community):
    # On both files: a pull request adding the copy is checked on its own file, whichever sorts first.
    found = problems_of(write_community, {m("ada"): member("Ada Lovelace"), m("ada2"): member("ada  lovelace")})
    assert [located(p) for p in found] == [(m("ada"), 2, "name", "duplicate-name"),
                                           (m("ada2"), 2, "name", "duplicate-name")]
    assert {p.severity for p in found} == {"warning"}


def test_topics_are_trimmed_case_folded_and_spaces_collapsed(write_community):
    text = member("Ada", extra="fields: ['  Machine \t  Learning ', DATA]\ninterests: [Música]\n")
    loaded = load_community(write_community({m("ada"): text}))
    ada = loaded.community.members[0]
    assert (ada.fields, ada.interests) == (("machine learning", "data"), ("música",))


def test_topics_are_mapped_through_the_aliases(write_community):
    text = member("Ada", extra="fields: [ML]\noffers: [{topic: ' js ', detail: x}]\nasks: [Js]\n")
    site = "aliases:\n  ML: Machine Learning\n  js: JavaScript\n"
    ada = load_community(write_community({m("ada"): text, "content/site.yaml": site})).community.members[0]
    assert ada.fields == ("machine learning",)
    assert [h.topic for h in ada.offers + ada.asks] == ["javascript", "javascript"]


def test_an_alias_to_an_alias_is_an_error(write_community):
    site = "aliases:\n  ml: machine learning\n  machine-learning: ml\n"
    p = only(problems_of(write_community, {"content/site.yaml": site}))
    assert located(p) == ("content/site.yaml", 3, "aliases.machine-learning", "alias-chain")
    assert "machine learning" in p.hint


def test_aliases_differing_only_in_case_are_an_error(write_community):
    site = "aliases:\n  ml: machine learning\n  ML: markup language\n"
    p = only(problems_of(write_community, {"content/site.yaml": site}))
    assert located(p) == ("content/site.yaml", 3, "aliases.ML", "duplicate-alias")


def test_an_unknown_site_setting_suggests_the_close_one(write_community):
    p = only(problems_of(write_community, {"content/site.yaml": "title: Us\nbase_ulr: /x/\n"}))
    assert located(p) == ("content/site.yaml", 2, "base_ulr", "unknown-key")
    assert p.hint == "did you mean `base_url`?"


def test_every_problem_of_every_file_is_reported_in_one_run_sorted(write_community):
    found = problems_of(write_community, {
        m("bob"): member("Bob", "zed", "ada"),
        m("ada"): "---\nname: Ada\nnmae: x\n---\n",
        "content/site.yaml": "titel: Us\n",
    })
    assert [(p.file, p.line, p.code) for p in found] == [
        (m("ada"), 3, "unknown-key"),
        (m("bob"), 3, "unknown-connection"),
        (m("bob"), 3, "pending-connection"),
        ("content/site.yaml", 1, "unknown-key"),
    ]


def test_a_base_url_that_is_neither_a_url_nor_a_path_is_an_error(write_community):
    p = only(problems_of(write_community, {"content/site.yaml": "title: Us\nbase_url: example.org/us/\n"}))
    assert located(p) == ("content/site.yaml", 2, "base_url", "bad-format")
    assert "/community/" in p.hint
