"""The page cache's keys: equal exactly when what the template can see is equal."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from jinja2 import DictLoader, Environment
from markupsafe import Markup

from generator.fingerprint import Fingerprinter, Unfingerprintable
from generator.render_cache import PageCache, template_plan


@dataclass(frozen=True)
class Person:
    name: str
    topics: tuple[str, ...] = ()


def digest(value: object) -> bytes:
    return Fingerprinter().digest(value)


def test_equal_values_have_equal_digests() -> None:
    assert digest(Person("Ada", ("maths",))) == digest(Person("Ada", ("maths",)))


@pytest.mark.parametrize(("one", "other"), [
    (Person("Ada"), Person("Ada", ("maths",))), ("<b>", Markup("<b>")), (1, True), (1, 1.0),
    (("ab", "c"), ("a", "bc")), ({"a": 1, "b": 2}, {"b": 2, "a": 1}), ([1], (1,)), (None, ""),
])
def test_values_a_template_tells_apart_have_different_digests(one: object, other: object) -> None:
    assert digest(one) != digest(other)


def test_set_order_does_not_matter() -> None:
    assert digest(frozenset(["a", "b", "c"])) == digest(frozenset(["c", "b", "a"]))


def test_a_function_cannot_be_digested() -> None:
    with pytest.raises(Unfingerprintable):
        digest({"f": print})


def env(**templates: str) -> Environment:
    return Environment(loader=DictLoader(templates), autoescape=True)


def test_a_plan_reads_the_names_of_every_template_it_reaches() -> None:
    plan = template_plan(env(page="{% extends 'base' %}{% block b %}{{ member }}{% endblock %}",
                             base="{{ site }}{% block b %}{% endblock %}{% include 'part' %}",
                             part="{{ links }}"), "page")
    assert plan.names == ("links", "member", "site")


def test_a_plan_changes_when_an_included_template_changes() -> None:
    one = template_plan(env(page="{% include 'part' %}", part="a"), "page")
    other = template_plan(env(page="{% include 'part' %}", part="b"), "page")
    assert one.digest != other.digest


def test_a_dynamic_include_makes_the_whole_theme_the_closure() -> None:
    plan = template_plan(env(page="{% include which %}", a="{{ x }}", b="{{ y }}"), "page")
    assert plan.names == ("which", "x", "y")


def render(cache: PageCache, environment: Environment, shared: dict, own: dict) -> bytes:
    return cache.render(environment, "page", shared, own)


def test_a_page_is_reused_when_what_it_reads_is_unchanged(tmp_path: Path) -> None:
    environment = env(page="{{ member.name }}")
    render(PageCache(tmp_path), environment, {"community": ("x",)}, {"member": Person("Ada")})
    cache = PageCache(tmp_path)
    page = render(cache, environment, {"community": ("x", "y")}, {"member": Person("Ada")})
    assert (page, cache.reused, cache.rendered) == (b"Ada", 1, [])


def test_a_page_is_rendered_again_when_a_value_it_reads_changes(tmp_path: Path) -> None:
    environment = env(page="{{ member.name }}")
    render(PageCache(tmp_path), environment, {}, {"member": Person("Ada")})
    cache = PageCache(tmp_path)
    page = render(cache, environment, {}, {"member": Person("Ada King")})
    assert (page, cache.reused) == (b"Ada King", 0)


def test_a_page_is_rendered_again_when_its_template_changes(tmp_path: Path) -> None:
    render(PageCache(tmp_path), env(page="{{ member.name }}"), {}, {"member": Person("Ada")})
    cache = PageCache(tmp_path)
    page = render(cache, env(page="<b>{{ member.name }}</b>"), {}, {"member": Person("Ada")})
    assert (page, cache.reused) == (b"<b>Ada</b>", 0)


def test_clean_renders_everything_but_stores_the_results(tmp_path: Path) -> None:
    environment = env(page="{{ member.name }}")
    for read in (True, False, True):
        cache = PageCache(tmp_path, read=read)
        render(cache, environment, {}, {"member": Person("Ada")})
    assert cache.reused == 1


def test_an_unreadable_entry_is_rendered_again(tmp_path: Path) -> None:
    environment = env(page="ok")
    render(PageCache(tmp_path), environment, {}, {})
    for entry in (tmp_path / "pages").rglob("*"):
        if entry.is_file():
            entry.write_bytes(b"not zlib")
    cache = PageCache(tmp_path)
    assert (render(cache, environment, {}, {}), cache.reused) == (b"ok", 0)


def test_a_page_whose_values_cannot_be_digested_is_always_rendered(tmp_path: Path) -> None:
    environment = env(page="{{ f() }}")
    for _ in range(2):
        cache = PageCache(tmp_path)
        assert render(cache, environment, {}, {"f": lambda: "x"}) == b"x"
    assert (cache.reused, cache.rerendered) == (0, 1)


def test_prune_drops_entries_unused_for_long(tmp_path: Path) -> None:
    render(PageCache(tmp_path), env(page="old"), {}, {})
    for entry in (tmp_path / "pages").rglob("*"):
        if entry.is_file():
            os.utime(entry, (0, 0))
    assert PageCache(tmp_path).prune() == 1


def test_a_page_depends_only_on_the_table_entries_it_read(tmp_path: Path) -> None:
    environment = env(page="{{ avatars[member.name] }}")
    render(PageCache(tmp_path), environment, {"avatars": {"Ada": "a.svg", "Bo": "b.svg"}}, {"member": Person("Ada")})
    cache = PageCache(tmp_path)
    page = render(cache, environment, {"avatars": {"Ada": "a.svg", "Cy": "c.svg"}}, {"member": Person("Ada")})
    assert (page, cache.reused) == (b"a.svg", 1)


def test_a_page_is_rendered_again_when_a_table_entry_it_read_changes(tmp_path: Path) -> None:
    environment = env(page="{{ avatars[member.name] }}")
    render(PageCache(tmp_path), environment, {"avatars": {"Ada": "a.svg"}}, {"member": Person("Ada")})
    cache = PageCache(tmp_path)
    page = render(cache, environment, {"avatars": {"Ada": "a.png"}}, {"member": Person("Ada")})
    assert (page, cache.reused) == (b"a.png", 0)


def test_a_page_that_walks_a_table_depends_on_all_of_it(tmp_path: Path) -> None:
    environment = env(page="{{ avatars|length }}")
    render(PageCache(tmp_path), environment, {"avatars": {"Ada": "a"}}, {})
    cache = PageCache(tmp_path)
    assert (render(cache, environment, {"avatars": {"Ada": "a", "Bo": "b"}}, {}), cache.reused) == (b"2", 0)


def test_a_table_printed_whole_reads_as_the_table(tmp_path: Path) -> None:
    environment = env(page="{{ avatars }}")
    assert render(PageCache(tmp_path), environment, {"avatars": {"Ada": "a"}}, {}) == b"{&#39;Ada&#39;: &#39;a&#39;}"


def test_tables_inside_a_shared_dataclass_are_recorded_too(tmp_path: Path) -> None:
    @dataclass(frozen=True)
    class Links:
        base: str
        slugs: dict

        def topic(self, name: str) -> str:
            return self.base + self.slugs[name]

    environment = env(page="{{ links.topic('maths') }}")
    render(PageCache(tmp_path), environment, {"links": Links("/", {"maths": "m"})}, {})
    cache = PageCache(tmp_path)
    page = render(cache, environment, {"links": Links("/", {"maths": "m", "art": "a"})}, {})
    assert (page, cache.reused) == (b"/m", 1)


def test_a_template_using_the_themes_own_filter_is_analysed(tmp_path: Path) -> None:
    environment = env(page="{{ member.name|shout }}")
    environment.filters["shout"] = str.upper
    assert render(PageCache(tmp_path), environment, {}, {"member": Person("Ada")}) == b"ADA"
