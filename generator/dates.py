"""Dates as people read them on a page; the ISO form stays in the <time datetime> beside it."""

from __future__ import annotations

# English names, never the machine's locale: the same profile builds the same page everywhere.
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def readable_date(text: str) -> str:
    """2025-11-18 -> 18 November 2025, 2025-11 -> November 2025; a bare year or anything else as given."""
    text = str(text)
    parts = text.split("-")
    if len(parts) not in (2, 3) or not all(p.isascii() and p.isdigit() for p in parts) \
            or not 1 <= int(parts[1]) <= 12:
        return text
    month = MONTHS[int(parts[1]) - 1]
    return f"{month} {parts[0]}" if len(parts) == 2 else f"{int(parts[2])} {month} {parts[0]}"
