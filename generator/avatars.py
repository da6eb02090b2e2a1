"""Avatars: the member's own image, copied under the type its bytes show, or initials we draw."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from xml.sax.saxutils import escape

from .images import sniff
from .models import Member

# Backgrounds that white text reads on at WCAG AA (contrast 4.5:1 or more).
PALETTE = ("#1f5f8b", "#7a3e9d", "#2e6b3a", "#9c3d1f", "#5b5b9b", "#8a3059", "#226666", "#6b5a1f")
_EXTENSIONS = {"png": "png", "jpeg": "jpg", "webp": "webp"}


@dataclass(frozen=True)
class Avatar:
    """Where a member's avatar is published (under avatars/), its bytes and its pixel size."""

    path: str
    data: bytes
    width: int
    height: int
    generated: bool


def initials(name: str) -> str:
    """One or two letters for a name: the first letters of its first and last words ("?" for none)."""
    letters = [g for g in (_first_letter(w) for w in unicodedata.normalize("NFC", name).split()) if g]
    if not letters:  # a name of symbols only: show its first character (escaped when drawn)
        return name.strip()[:1] or "?"
    return "".join(letters[:1] + letters[1:][-1:]).upper()


def _first_letter(word: str) -> str:
    """The first letter or digit of a word with any combining marks that follow it; "" when it has none."""
    for start, char in enumerate(word):
        if char.isalnum():
            end = start + 1
            while end < len(word) and unicodedata.combining(word[end]):
                end += 1
            return word[start:end]
    return ""


def initials_svg(member: Member) -> bytes:
    """A square SVG with the member's initials; every piece of text in it is XML-escaped."""
    colour = PALETTE[hashlib.sha256(member.handle.encode()).digest()[0] % len(PALETTE)]
    text = escape(initials(member.name))
    size = 34 if len(text) > 1 else 44
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 96 96" width="96" height="96">'
            f'<rect width="96" height="96" fill="{colour}"/>'
            f'<text x="48" y="50" dy="0.35em" text-anchor="middle" fill="#ffffff" font-size="{size}" '
            f'font-family="system-ui, -apple-system, \'Segoe UI\', Roboto, \'Noto Sans\', sans-serif" '
            f'font-weight="600">{text}</text></svg>\n').encode()


def avatar_for(member: Member, image: bytes | None) -> Avatar:
    """The member's image when it is a PNG, JPEG or WebP, else generated initials."""
    info = sniff(image) if image else None
    if image and info:
        kind, width, height = info
        return Avatar(f"avatars/{member.handle}.{_EXTENSIONS[kind]}", image, width, height, False)
    return Avatar(f"avatars/{member.handle}.svg", initials_svg(member), 96, 96, True)
