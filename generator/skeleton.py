"""The commented profile a new member starts from (`connectory new`, `connectory init`)."""

from __future__ import annotations

import json

from .models import SiteConfig


def schema_hint(config: SiteConfig) -> str:
    """The editor schema comment: editors with the YAML language server validate as you type.

    With an absolute base_url it points at the schema the site publishes (/schema/profile.json).
    Otherwise (a fresh community, or one on GitHub Pages whose address only the deploy
    workflow knows) it points, relative to content/members/<handle>.md, at the copy
    `connectory init` writes at the community's top level: it works offline, in forks, and
    matches the Connectory version the workflows pin.
    """
    base = config.base_url if config.base_url.startswith(("http://", "https://")) else None
    url = f"{base}schema/profile.json" if base else "../../profile.schema.json"
    return f"# yaml-language-server: $schema={url}"


def _links(github: str) -> str:
    why = "# your GitHub login: it makes this profile yours, to change by pull request"
    if github:
        return f"links:\n  github: {github}   {why}\n  # website: https://example.org"
    return f"# links:\n#   github: your-login   {why}\n#   website: https://example.org"


def profile_skeleton(handle: str, name: str, config: SiteConfig, github: str = "") -> str:
    """A profile with every field explained; only name is required. `github` (a login) fills links.github."""
    return f"""---
{schema_hint(config)}
name: {json.dumps(name, ensure_ascii=False)}
# pronouns: she/her
# headline: What you do, in one line (at most 120 characters)
# location: City, Country
fields: []        # areas of work, e.g. [data science, public health]
interests: []     # e.g. [cycling, open data]
offers: []        # how you can help; a topic, or {{topic: ..., detail: ...}}
asks: []          # what you are looking for, in the same forms
connections: []   # handles of members you know; it counts once they list you too
# introductions: true    # set to false if you would rather not introduce people
# open_to: [coffee chats, mentoring]
{_links(github)}
# contact: How people can reach you, in plain text.
# email: you@example.org  (never shown in clear text)
# avatar: avatars/{handle}.png
---
A few sentences about you, in Markdown.
"""
