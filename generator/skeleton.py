"""The commented profile a new member starts from (`connectory new`, `connectory init`)."""

from __future__ import annotations

import json

from .models import SiteConfig


def schema_hint(config: SiteConfig) -> str:
    """The editor schema comment: editors with the YAML language server validate as you type."""
    base = config.base_url if config.base_url.startswith(("http://", "https://")) else None
    url = f"{base}schema/profile.json" if base else "../../profile.schema.json"
    return f"# yaml-language-server: $schema={url}"


def profile_skeleton(handle: str, name: str, config: SiteConfig) -> str:
    """A profile with every field explained; only name is required."""
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
# links:
#   website: https://example.org
#   github: your-login
# contact: How people can reach you, in plain text.
# email: you@example.org  (never shown in clear text)
# avatar: avatars/{handle}.png
---
A few sentences about you, in Markdown.
"""
