"""content/site.yaml as a frozen SiteConfig; every problem collected, none raised."""

from __future__ import annotations

from pathlib import Path

from .content import Document, parse_yaml, read_text
from .errors import Problem
from .models import SiteConfig, normalise_topic
from .schema import schema_problems

SITE_FILE = "content/site.yaml"


def load_config(source: Path) -> tuple[SiteConfig, list[Problem]]:
    """Read site.yaml (optional: defaults apply when it is missing) and validate it."""
    path = source / SITE_FILE
    if not path.is_file():
        return SiteConfig(), []
    text, problems = read_text(path, SITE_FILE)
    if text is None:
        return SiteConfig(), problems
    data, marks, problems = parse_yaml(text, SITE_FILE)
    if data is None and not problems:
        return SiteConfig(), []
    if not isinstance(data, dict):
        return SiteConfig(), problems or [Problem(SITE_FILE, 1, 1, "", "not-a-mapping",
                                                  "site.yaml must be fields (`key: value`)",
                                                  "write one setting per line, like `title: Our community`")]
    problems += schema_problems(Document(SITE_FILE, data, marks), "site")
    if problems:
        return SiteConfig(), problems
    aliases = {normalise_topic(k): normalise_topic(v) for k, v in (data.get("aliases") or {}).items()}
    problems = _alias_problems(data.get("aliases") or {}, aliases, marks)
    if problems:
        return SiteConfig(), problems
    base_url = data.get("base_url", "/") or "/"
    return SiteConfig(
        title=data.get("title", SiteConfig.title),
        description=data.get("description", ""),
        base_url=base_url if base_url.endswith("/") else base_url + "/",
        language=data.get("language", "en"),
        theme=data.get("theme", "default"),
        maintainers=tuple(data.get("maintainers") or ()),
        aliases=aliases,
    ), []


def _alias_problems(raw: dict[str, str], aliases: dict[str, str], marks: dict) -> list[Problem]:
    """Aliases map in one step: a target that is itself an alias would silently stop half-way."""
    problems = []
    seen: dict[str, str] = {}
    for key, target in raw.items():
        line, col = marks.get(("aliases", key), (1, 1))
        folded = normalise_topic(key)
        if folded in seen:
            problems.append(Problem(SITE_FILE, line, col, f"aliases.{key}", "duplicate-alias",
                                    f"`{key}` is the same topic as `{seen[folded]}` once case and spaces are ignored",
                                    "keep one of them"))
        seen.setdefault(folded, key)
        normal = aliases[folded]
        if normal in aliases and aliases[normal] != normal:
            problems.append(Problem(SITE_FILE, line, col, f"aliases.{key}", "alias-chain",
                                    f"`{target}` is itself an alias (of `{aliases[normal]}`)",
                                    f"map `{key}` straight to `{aliases[normal]}`"))
    return problems
