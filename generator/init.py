"""`connectory init`: a new community repository from the templates in generator/scaffold/.

The templates are plain files, laid out as they will be written. Names starting with `dot-`
become dotfiles (`dot-github/` -> `.github/`), because setuptools leaves real dotfiles out of
the wheel. `__NAME__` tokens are filled in one pass; workflows keep their own `${{ }}`.
"""

from __future__ import annotations

import json
import re
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from . import __version__
from .errors import ConnectoryError, UsageError
from .models import SiteConfig
from .schema import schema_text
from .skeleton import profile_skeleton, schema_hint

LOGIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?$")
_TOKEN = re.compile(r"__([A-Z_]+)__")
# What may already be in a folder that still counts as empty: a fresh `git init`.
_IGNORED = {".git"}


def default_title(folder: Path) -> str:
    """A title from the folder's name: `berlin-makers` -> `Berlin makers`."""
    words = " ".join(re.split(r"[-_\s.]+", folder.resolve().name)).strip()
    return (words[:1].upper() + words[1:])[:100] or SiteConfig.title


def _walk(folder: Traversable, prefix: str = "") -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        name = "." + entry.name.removeprefix("dot-") if entry.name.startswith("dot-") else entry.name
        if entry.is_dir():
            out |= _walk(entry, f"{prefix}{name}/")
        elif entry.name != "__pycache__":
            out[f"{prefix}{name}"] = entry.read_bytes()
    return out


def scaffold_files(title: str, maintainers: tuple[str, ...] = (), version: str = __version__) -> dict[str, bytes]:
    """Every file of a new community, by path: the filled-in templates, the profile schema,
    a commented profile template, and a .gitkeep that keeps content/avatars/ in git."""
    title = title.strip()
    if not title or len(title) > 100 or any(c in title for c in "\r\n\t"):
        raise UsageError("the title must be one line of 1 to 100 characters")
    for login in maintainers:
        if not LOGIN.match(login):
            raise UsageError(f"`{login}` is not a GitHub login (letters, digits and single hyphens)")
    config = SiteConfig(title=title)
    values = {
        "TITLE_MD": title,
        "TITLE_YAML": json.dumps(title, ensure_ascii=False),
        "DESCRIPTION_YAML": json.dumps(f"The members of {title}: who offers what, who is looking for what, "
                                       "and who can introduce whom.", ensure_ascii=False),
        "MAINTAINERS_YAML": "[" + ", ".join(json.dumps(m) for m in maintainers) + "]",
        "VERSION": version,
        "SCHEMA_HINT": schema_hint(config),
    }
    out = {}
    for path, raw in _walk(files("generator").joinpath("scaffold")).items():
        text = _TOKEN.sub(lambda m: values.get(m.group(1), m.group(0)), raw.decode("utf-8"))
        out[path] = text.encode("utf-8")
    out["profile.schema.json"] = schema_text("profile").encode("utf-8")
    out["profile-template.md"] = profile_skeleton("your-handle", "Your Name", config).encode("utf-8")
    out["content/avatars/.gitkeep"] = b""
    return dict(sorted(out.items()))


def is_empty(folder: Path) -> bool:
    """Whether a folder is missing, or holds nothing but what a fresh `git init` leaves."""
    return not folder.exists() or all(p.name in _IGNORED for p in folder.iterdir())


def write_scaffold(folder: Path, scaffold: dict[str, bytes], force: bool) -> tuple[list[str], list[str]]:
    """Write the files into `folder`: (written, kept). An existing file is never overwritten;
    a non-empty folder is refused unless `force`."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is a file, not a folder")
    if not force and not is_empty(folder):
        raise ConnectoryError(f"{folder} is not empty; choose a new folder, or add --force to write the "
                              "missing files and keep every file already there")
    written, kept = [], []
    for rel, data in scaffold.items():
        path = folder / rel
        if path.exists() or path.is_symlink():
            kept.append(rel)
            continue
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        except OSError as exc:
            raise ConnectoryError(f"cannot write {path}: {exc.strerror or exc}") from None
        written.append(rel)
    return written, kept
