"""Suggestions and introductions in words, for the terminal and the pages' plain-text parts."""

from __future__ import annotations

from typing import Callable, Sequence

from .introductions import Pairing, Suggestion

Names = Callable[[str], str]  # handle -> the member's name

MAX_NAMED = 3  # introducers named in a sentence; the rest are counted


def join_words(items: Sequence[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def introducer_words(handles: Sequence[str], name: Names) -> str:
    """"Charles Babbage", "Charles Babbage, Ada Lovelace, Mary Somerville and 2 others"."""
    named = [name(h) for h in handles[:MAX_NAMED]]
    rest = len(handles) - len(named)
    if rest:
        named.append(f"{rest} other" + ("s" if rest > 1 else ""))
    return join_words(named)


def reason_texts(s: Suggestion, name: Names) -> list[str]:
    """Why the member could meet s, most important first, one clause per reason."""
    who = name(s.handle)
    texts = []
    if s.asks_met:
        texts.append(f"{who} offers {join_words(s.asks_met)}, which you ask for")
    if s.offers_met:
        texts.append(f"{who} asks for {join_words(s.offers_met)}, which you offer")
    if s.fields:
        texts.append(f"you both work in {join_words(s.fields)}")
    if s.interests:
        texts.append(f"you share an interest in {join_words(s.interests)}")
    if s.introducers:
        texts.append(f"{introducer_words([i.handle for i in s.introducers], name)} can introduce you")
    return texts


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def reason_sentence(s: Suggestion, name: Names) -> str:
    """"Grace Hopper offers compiler design, which you ask for; Charles Babbage can introduce you"."""
    texts = reason_texts(s, name)
    if s.asks_met and s.offers_met:  # "X offers a, which you ask for, and asks for b, which you offer"
        texts[0:2] = [texts[0] + ", and " + texts[1].removeprefix(name(s.handle) + " ")]
    return _capitalise("; ".join(texts))


def pairing_sentence(p: Pairing, name: Names) -> str:
    """"Grace Hopper offers compiler design, which Ada Lovelace asks for"."""
    parts = []
    if p.a_offers:
        parts.append(f"{name(p.a)} offers {join_words(p.a_offers)}, which {name(p.b)} asks for")
    if p.b_offers:
        parts.append(f"{name(p.b)} offers {join_words(p.b_offers)}, which {name(p.a)} asks for")
    return "; ".join(parts)
