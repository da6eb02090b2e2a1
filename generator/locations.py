"""Where themes live: the community's themes/ folder and the default theme shipped in the package.

Apart from theme.py so that the up-to-date check (uptodate.py), which only needs the folders,
does not import Jinja2 and the template filters (a tenth of a second of a command with nothing to do).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

THEMES_DIR = "themes"
DEFAULT = "default"


def default_theme_dir() -> Path:
    """The default theme shipped inside the package (generator/themes is a link to the repository's themes/)."""
    return Path(str(files("generator").joinpath(THEMES_DIR, DEFAULT)))
