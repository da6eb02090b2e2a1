"""The theme: one Jinja2 environment over an override chain, and the static files beside it.

A theme is a folder with `templates/` and `assets/`. The community's `themes/<name>/` (named by
`theme:` in site.yaml) comes first and the default theme, shipped inside the package, last, so
a community overrides any template or asset file by file. An override can extend the version
it replaces through the `default/` prefix: `{% extends "default/member.html" %}` (as MkDocs
themes extend their parents).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from jinja2 import (ChoiceLoader, Environment, FileSystemLoader, PrefixLoader, StrictUndefined, TemplateError,
                    TemplateNotFound, TemplateSyntaxError, select_autoescape)

from .dates import readable_date
from .errors import CheckFailed, ConnectoryError, Problem
from .filters import FILTERS, TESTS
from .locations import DEFAULT, THEMES_DIR, default_theme_dir


@dataclass(frozen=True)
class Theme:
    """The template environment and every asset (output name under assets/ -> bytes)."""

    name: str
    env: Environment
    assets: Mapping[str, bytes]
    folders: tuple[Path, ...]  # the chain, community's theme first, for messages and the watcher


def theme_chain(source: Path, name: str) -> tuple[Path, ...]:
    """The theme folders to search, first match wins: the community's own, then the default."""
    default = default_theme_dir()
    own = source / THEMES_DIR / name
    if name != DEFAULT and not own.is_dir():
        raise CheckFailed([Problem("content/site.yaml", 0, 0, "theme", "unknown-theme",
                                   f"theme `{name}` has no folder {THEMES_DIR}/{name}/ beside content/",
                                   f"create {THEMES_DIR}/{name}/templates/ with the templates to override, "
                                   "or remove the theme line to use the default")])
    if own.is_dir() and own.resolve() != default.resolve():
        return own, default
    return (default,)


def make_environment(chain: tuple[Path, ...]) -> Environment:
    """One environment: autoescaped HTML and XML, undefined names are errors, `default/` reaches the default."""
    search = [str(folder / "templates") for folder in chain]
    loader = ChoiceLoader([
        FileSystemLoader(search),
        PrefixLoader({DEFAULT: FileSystemLoader(str(chain[-1] / "templates"))}),
    ])
    env = Environment(loader=loader, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True, auto_reload=False,
                      autoescape=select_autoescape(["html", "xml"], default_for_string=True))
    env.filters.update(FILTERS, readable_date=readable_date)
    env.tests.update(TESTS)
    # |tojson (a profile's JSON-LD) without spaces after separators or \u escapes of every accented
    # letter: a hub's list of people it knows was a tenth of its page. Keys stay sorted: same bytes every build.
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "separators": (",", ":"), "ensure_ascii": False}
    return env


def read_assets(chain: tuple[Path, ...]) -> dict[str, bytes]:
    """Every file under each theme's assets/, the first theme in the chain winning, sorted by name."""
    found: dict[str, Path] = {}
    for folder in reversed(chain):  # later folders in the chain are overridden by earlier ones
        root = folder / "assets"
        if not root.is_dir():
            continue
        for path in root.rglob("*"):
            rel = path.relative_to(root).as_posix()
            if path.is_file() and not any(part.startswith(".") for part in rel.split("/")):
                found[rel] = path
    return {rel: found[rel].read_bytes() for rel in sorted(found)}


def load_theme(source: Path, name: str = DEFAULT) -> Theme:
    """The theme named in site.yaml, over the default one."""
    chain = theme_chain(source, name)
    return Theme(name, make_environment(chain), read_assets(chain), chain)


def template_error(exc: TemplateError, template: str) -> ConnectoryError:
    """A mistake in a theme's template as an error naming the file and line, not a traceback."""
    if isinstance(exc, TemplateSyntaxError):
        where = f"{exc.filename or exc.name or template}:{exc.lineno}"
    elif isinstance(exc, TemplateNotFound):
        return ConnectoryError(f"the theme has no template {exc.name!r} (needed by {template}); "
                               "add it to the theme's templates/ folder")
    else:  # raised while rendering: Jinja maps the traceback's frames to template lines
        where, tb = template, exc.__traceback__
        while tb is not None:
            filename = tb.tb_frame.f_code.co_filename
            if filename.endswith((".html", ".xml", ".txt")):
                where = f"{filename}:{tb.tb_lineno}"
            tb = tb.tb_next
    return ConnectoryError(f"theme template error at {where}: {exc.message or exc}")
