"""People you could meet and introductions you could make, as the spec states them."""

from __future__ import annotations

from generator.introductions import ask_matches, pairings, reach
from generator.matches import best_matches
from generator.reasons import pairing_sentence, reason_sentence, reason_texts
from tests.network_helpers import community, index, member


def handles(c, who, k=10):
    return [s.handle for s in reach(index(c), who, k).suggestions]


def test_a_friend_of_a_confirmed_friend_is_suggested_with_the_friend_as_introducer():
    c = community(member("ada", knows=["charles"]), member("charles", knows=["ada", "grace"]),
                  member("grace", knows=["charles"]))
    [s] = reach(index(c), "ada").suggestions
    assert (s.handle, [i.handle for i in s.introducers]) == ("grace", ["charles"])


def test_a_pending_claim_never_makes_an_introducer():
    c = community(member("ada", knows=["charles"]), member("charles", knows=["grace"]),  # ada is not listed back
                  member("grace", knows=["charles"]))
    assert handles(c, "ada") == []


def test_a_pending_claim_never_makes_the_second_hop():
    c = community(member("ada", knows=["charles"]), member("charles", knows=["ada", "grace"]),
                  member("grace"))  # grace does not list charles back
    assert handles(c, "ada") == []


def test_someone_who_does_not_introduce_is_never_named_as_introducer():
    c = community(member("ada", knows=["charles", "linus"]), member("charles", knows=["ada", "grace"], introduces=False),
                  member("linus", knows=["ada", "grace"]), member("grace", knows=["charles", "linus"]))
    [s] = reach(index(c), "ada").suggestions
    assert [i.handle for i in s.introducers] == ["linus"]


def test_someone_who_does_not_introduce_can_still_be_introduced():
    c = community(member("ada", knows=["charles"]), member("charles", knows=["ada", "grace"]),
                  member("grace", knows=["charles"], introduces=False))
    assert handles(c, "ada") == ["grace"]


def test_only_a_non_introducer_in_common_means_no_suggestion():
    c = community(member("ada", knows=["charles"]), member("charles", knows=["ada", "grace"], introduces=False),
                  member("grace", knows=["charles"]))
    assert handles(c, "ada") == []


def test_a_pending_claim_either_way_excludes_the_pair():
    base = [member("charles", knows=["ada", "grace", "linus"]), member("linus", knows=["charles"])]
    c = community(member("ada", knows=["charles", "grace"]), member("grace", knows=["charles"]), *base)
    assert handles(c, "ada") == ["linus"]  # ada listed grace: they know each other, or say so
    assert handles(c, "grace") == ["linus"]  # and grace is not offered ada either


def test_a_met_ask_outranks_any_number_of_close_introducers():
    hub = [member(f"i{n}", knows=[("ada", "close"), ("bob", "close")]) for n in range(5)]
    c = community(member("ada", knows=[(f"i{n}", "close") for n in range(5)] + ["j"], asks=["funding"]),
                  member("bob", knows=[(f"i{n}", "close") for n in range(5)]),
                  member("j", knows=["ada", "zed"]), member("zed", knows=["j"], offers=["funding"]), *hub)
    assert handles(c, "ada")[:2] == ["zed", "bob"]
    assert handles(c, "ada", 1) == ["zed"]  # though bob's uncapped introducer points (15) are more


def test_the_member_s_asks_weigh_more_than_their_offers():
    c = community(member("ada", knows=["i"], asks=["funding"], offers=["proofs"]),
                  member("i", knows=["ada", "bea", "cal"]),
                  member("bea", knows=["i"], asks=["proofs"]), member("cal", knows=["i"], offers=["funding"]))
    assert handles(c, "ada") == ["cal", "bea"]


def test_equal_scores_are_ordered_by_handle():
    c = community(member("ada", knows=["i"]), member("i", knows=["ada", "zoe", "bea", "max"]),
                  member("zoe", knows=["i"]), member("bea", knows=["i"]), member("max", knows=["i"]))
    assert handles(c, "ada") == ["bea", "max", "zoe"]


def test_the_top_k_are_the_first_k_of_all():
    c = community(member("ada", knows=["i"], fields=["maths"]), member("i", knows=["ada", *"bcdefg"]),
                  *(member(h, knows=["i"], fields=["maths"] if h in "ce" else []) for h in "bcdefg"))
    assert handles(c, "ada", 3) == handles(c, "ada", None)[:3] == ["c", "e", "b"]


def test_an_introducer_s_strength_is_the_weaker_hop():
    c = community(member("ada", knows=[("i", "close")]), member("i", knows=[("ada", "close"), ("bob", "regular")]),
                  member("bob", knows=[("i", "close")]))
    [s] = reach(index(c), "ada").suggestions
    assert s.introducers[0].strength == "regular"


def test_the_reason_reads_as_a_sentence():
    c = community(member("ada", knows=["charles"], asks=["compiler design"], name="Ada Lovelace"),
                  member("charles", knows=["ada", "grace"], name="Charles Babbage"),
                  member("grace", knows=["charles"], offers=["compiler design"], name="Grace Hopper"))
    [s] = reach(index(c), "ada").suggestions
    names = {m.handle: m.name for m in c.members}.__getitem__
    assert reason_sentence(s, names) == ("Grace Hopper offers compiler design, which you ask for; "
                                         "Charles Babbage can introduce you")
    assert reason_texts(s, names)[-1] == "Charles Babbage can introduce you"


def test_each_ask_met_one_introduction_away_names_its_best_offerer():
    c = community(member("ada", knows=["i"], asks=["funding"], fields=["maths"]),
                  member("i", knows=["ada", "bea", "cal"]),
                  member("bea", knows=["i"], offers=["funding"]), member("cal", knows=["i"], offers=["funding"],
                                                                         fields=["maths"]))
    [match] = reach(index(c), "ada").ask_matches
    assert (match.topic, match.offerers, match.best, match.introducers) == ("funding", 2, "cal", ("i",))


def test_introductions_to_make_pair_connections_where_an_ask_meets_an_offer():
    c = community(member("m", knows=["a", "b", "c"]), member("a", knows=["m"], asks=["funding"]),
                  member("b", knows=["m"], offers=["funding"]), member("c", knows=["m"], offers=["poetry"]))
    [p] = pairings(index(c), "m").top
    assert (p.a, p.b, p.a_offers, p.b_offers) == ("a", "b", (), ("funding",))
    assert pairing_sentence(p, lambda h: h.upper()) == "B offers funding, which A asks for"


def test_no_introductions_to_make_between_people_who_know_each_other():
    c = community(member("m", knows=["a", "b"]), member("a", knows=["m", "b"], asks=["funding"]),
                  member("b", knows=["m"], offers=["funding"]))  # a's claim on b is pending: they know each other
    assert pairings(index(c), "m").total == 0


def test_a_member_who_does_not_introduce_has_no_introductions_to_make():
    c = community(member("m", knows=["a", "b"], introduces=False), member("a", knows=["m"], asks=["funding"]),
                  member("b", knows=["m"], offers=["funding"]))
    assert pairings(index(c), "m").total == 0


def test_ask_matches_alone_agree_with_reach():
    c = community(member("ada", knows=["i"], asks=["funding", "maths"]), member("i", knows=["ada", "bea", "cal"]),
                  member("bea", knows=["i"], offers=["funding"]), member("cal", knows=["i"], offers=["maths"]))
    ix = index(c)
    assert ask_matches(ix, "ada") == reach(ix, "ada").ask_matches
    assert [a.topic for a in ask_matches(ix, "ada")] == ["funding", "maths"]


def test_help_both_ways_reads_as_one_clause():
    c = community(member("ada", knows=["i"], asks=["funding"], offers=["proofs"], name="Ada Lovelace"),
                  member("i", knows=["ada", "bea"], name="Ida"),
                  member("bea", knows=["i"], offers=["funding"], asks=["proofs"], name="Bea Ray"))
    [s] = reach(index(c), "ada").suggestions
    names = {m.handle: m.name for m in c.members}.__getitem__
    assert reason_sentence(s, names) == ("Bea Ray offers funding, which you ask for, and asks for proofs, "
                                         "which you offer; Ida can introduce you")


def test_introductions_to_make_with_the_most_help_come_first():
    c = community(member("m", knows=["a", "b", "c"]), member("a", knows=["m"], asks=["funding"], offers=["maps"]),
                  member("b", knows=["m"], offers=["funding"]), member("c", knows=["m"], offers=["funding"],
                                                                       asks=["maps"]))
    made = pairings(index(c), "m", 1)
    assert (made.total, [(p.a, p.b) for p in made.top]) == (2, [("a", "c")])
    assert (made.top[0].a_offers, made.top[0].b_offers) == (("maps",), ("funding",))


def test_best_matches_stop_at_the_limit_and_say_so():
    c = community(member("i", knows=["a", "b", "z"]), member("a", knows=["i"], asks=["maps"]),
                  member("b", knows=["i"], asks=["maps"]), member("z", knows=["i"], offers=["maps"]))
    ix = index(c)
    assert [(m.asker, m.offerer) for m in best_matches(ix).found] == [("a", "z"), ("b", "z")]
    assert best_matches(ix).complete and not best_matches(ix, 1).complete
    assert [m.asker for m in best_matches(ix, 1).found] == ["a"]
