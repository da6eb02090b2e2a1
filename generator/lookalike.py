"""Look-alike text: the keys under which two names or two handles read the same to a person.

A small, explicit version of the "skeleton" of Unicode TS #39 (confusable detection): enough
to catch someone posing as an existing member, not a full confusables table. Handles are
plain ASCII already (a-z, 0-9, hyphen), so for them only the classic ASCII look-alikes
matter (rn/m, vv/w, cl/d, 1/l, 0/o). Names may use any script, so for them the Cyrillic,
Greek and Armenian letters that are drawn like Latin ones map to those Latin letters.
"""

from __future__ import annotations

import re
import unicodedata

# Sequences first: "rn" must become "m" before any single letter is looked at.
_HANDLE_LOOKALIKES = (("rn", "m"), ("vv", "w"), ("cl", "d"), ("1", "l"), ("0", "o"))

_LETTERS = {
    # Cyrillic capitals and small letters drawn like Latin ones
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
    "Т": "T", "Х": "X", "У": "Y", "Ү": "Y", "Ѕ": "S", "І": "I", "Ј": "J", "Ԛ": "Q", "Ԝ": "W",
    "Һ": "h", "Ӏ": "l", "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x",
    "ѕ": "s", "і": "i", "ј": "j", "һ": "h", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ӏ": "l", "ү": "y",
    "ё": "ë", "ї": "ï",
    # Greek
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
    "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "α": "a", "ο": "o", "ρ": "p", "ν": "v",
    "ι": "i", "κ": "k", "υ": "u", "χ": "x", "ϲ": "c", "ϳ": "j",
    # Armenian and Latin letters that pass for others
    "օ": "o", "ս": "u", "հ": "h", "ո": "n", "զ": "q", "ı": "i", "ɑ": "a", "ɡ": "g", "ʟ": "L",
}
_TABLE = str.maketrans(_LETTERS)
# Characters that draw nothing or reorder the text around them; no name needs one, so
# validate.py rejects them. Zero-width joiner and non-joiner are left out: Persian spelling
# and emoji sequences need them. All of them are ignored when two texts are compared.
HIDDEN = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200e\u200f\u202a-\u202e"
                    "\u2060-\u2064\u2066-\u2069\u3164\ufeff\uffa0\U000e0000-\U000e007f]")
_JOINERS = re.compile("[\u200c\u200d]")


def name_key(name: str) -> str:
    """Two names with the same key look the same: case, width, spacing, invisible characters
    and look-alike letters from other scripts are ignored."""
    text = unicodedata.normalize("NFKC", _JOINERS.sub("", HIDDEN.sub("", name)))
    return " ".join(text.translate(_TABLE).casefold().split())


def handle_key(handle: str) -> str:
    """Two handles with the same key look the same (`ada-1ovelace` and `ada-lovelace`)."""
    for seen, meant in _HANDLE_LOOKALIKES:
        handle = handle.replace(seen, meant)
    return handle
