"""Problems as text for people, workflow commands for GitHub, or JSON for tools."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Callable

import click

from .errors import Problem


# Messages quote what members wrote: control and text-direction characters in them must not
# reach a terminal (escape sequences) or a log viewer (reordered text) as themselves.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def _safe(text: str) -> str:
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _cleaned(problems: list[Problem]) -> list[Problem]:
    return [replace(p, file=_safe(p.file), field=_safe(p.field), message=_safe(p.message), hint=_safe(p.hint))
            for p in problems]


def _text(problems: list[Problem]) -> str:
    lines = []
    for p in _cleaned(problems):
        colour = "red" if p.severity == "error" else "yellow"
        where = f"{p.file}:{p.line}:{p.column}:"
        field = f" {p.field}:" if p.field else ""
        lines.append(f"{click.style(where, bold=True)} {click.style(p.severity, fg=colour, bold=True)}:"
                     f"{field} {p.message}")
        if p.hint:
            lines.append(f"    {click.style('hint:', fg='cyan')} {p.hint}")
    return "\n".join(lines)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _github(problems: list[Problem]) -> str:
    lines = []
    for p in _cleaned(problems):
        title = f"{p.field} ({p.code})" if p.field else p.code
        props = f"file={_escape_property(p.file)},line={max(p.line, 1)},col={max(p.column, 1)}," \
                f"title={_escape_property(title)}"
        message = p.message + (f" — {p.hint}" if p.hint else "")
        lines.append(f"::{p.severity} {props}::{_escape_data(message)}")
    return "\n".join(lines)


def _json(problems: list[Problem]) -> str:
    keys = ("file", "line", "column", "field", "code", "severity", "message", "hint")
    return json.dumps([{k: getattr(p, k) for k in keys} for p in problems], ensure_ascii=False, indent=2)


FORMATS: dict[str, Callable[[list[Problem]], str]] = {"text": _text, "github": _github, "json": _json}


def summary(problems: list[Problem], files: int) -> str:
    """One line for the end of a check: how many errors and warnings in how many files."""
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} in {files} profile" \
           f"{'s' * (files != 1)}"
