"""A member's email address, kept out of the HTML in any form a scraper reads.

The address never appears in a page: not as text, not entity- or URL-encoded, not in a mailto:.
The profile carries it XOR-ed with a key drawn from the handle, both base64-encoded in two
attributes of a "Show email address" button; the theme's script joins them when a visitor
clicks. Decoding the base64 of either attribute alone yields bytes that are not the address,
so harvesters that decode common encodings find nothing, and one that runs scripts still has
to click. Without JavaScript the button stays hidden and the contact text is what shows.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass


@dataclass(frozen=True)
class HiddenEmail:
    """The two halves the reveal script joins: code XOR key is the address (UTF-8)."""

    code: str
    key: str


def hide_email(handle: str, email: str) -> HiddenEmail:
    """Deterministic (same profile, same bytes) and different for every member."""
    data = email.encode("utf-8")
    stream = b""
    counter = 0
    while len(stream) < len(data):
        stream += hashlib.sha256(f"connectory:{handle}:{counter}".encode()).digest()
        counter += 1
    key = stream[:len(data)]
    code = bytes(a ^ b for a, b in zip(data, key))
    return HiddenEmail(base64.b64encode(code).decode("ascii"), base64.b64encode(key).decode("ascii"))


def reveal_email(hidden: HiddenEmail) -> str:
    """What the theme's script computes; used by tests to prove the round trip."""
    code, key = base64.b64decode(hidden.code), base64.b64decode(hidden.key)
    return bytes(a ^ b for a, b in zip(code, key)).decode("utf-8")
