"""The small family of errors Connectory reports: every one names file, line and field."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

import click

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, located as precisely as we can."""

    file: str  # path relative to the community folder, with forward slashes
    line: int  # 1-based; 0 when the problem concerns the whole file
    column: int  # 1-based; 0 when unknown
    field: str  # dotted path into the front matter, e.g. "connections.2.handle"; "" for the file
    code: str  # stable identifier, e.g. "unknown-key"
    message: str
    hint: str = ""
    severity: Severity = "error"

    def as_error(self) -> "Problem":
        """The same problem, counted as an error (for --strict)."""
        return replace(self, severity="error")


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """Order problems by file, then line and column, so reports read top to bottom."""
    return sorted(problems, key=lambda p: (p.file, p.line, p.column, p.field, p.code, p.message))


class ConnectoryError(click.ClickException):
    """An error the user can act on; the CLI prints it without a traceback (exit 1)."""

    exit_code = 1


class UsageError(ConnectoryError):
    """A command was called wrongly (unknown handle, bad option value): exit 2."""

    exit_code = 2


class CheckFailed(ConnectoryError):
    """The community has errors; the problems travel with the exception."""

    def __init__(self, problems: list[Problem]) -> None:
        errors = sum(1 for p in problems if p.severity == "error")
        super().__init__(f"{errors} error(s) found; nothing was built")
        self.problems = problems
