"""Content digests of the values a template is given: equal digests, equal values, equal pages.

A digest covers a value completely (every field of every dataclass, every item of every
container, the exact type of each string, since `Markup` and `str` print differently) and
nothing else (not ids, not set order). Anything we cannot cover completely, a function or an
object of an unknown class, raises `Unfingerprintable`: the page is then rendered every
time instead of being wrongly reused.

Shared values are digested once: immutable ones (tuples, frozen dataclasses) are remembered
by identity, which is what makes hashing every page's context affordable when ten thousand
pages share one community. The memo holds a reference to each object it remembers, so an id
cannot be reused by a new object while the memo lives (one build).
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
import hashlib
import struct
from functools import lru_cache
from collections.abc import Mapping, Set
from typing import Any


class Unfingerprintable(TypeError):
    """A value whose content we cannot digest completely."""


_SCALARS = (str, bytes, int, float, bool, type(None))
_MEMO_LENGTH = 16  # tuples this long are remembered too: the home page's every-member tuple, say


@lru_cache(maxsize=None)
def _tag(kind: type) -> bytes:
    name = f"{kind.__module__}.{kind.__qualname__}".encode()
    return len(name).to_bytes(2, "big") + name


@lru_cache(maxsize=None)
def _field_names(kind: type) -> tuple[tuple[str, bytes], ...]:
    return tuple((f.name, len(f.name).to_bytes(2, "big") + f.name.encode()) for f in dataclasses.fields(kind))


def _sized(data: bytes) -> bytes:
    return len(data).to_bytes(8, "big") + data


class Fingerprinter:
    """Digests values for one build, remembering immutable shared ones by identity.

    A value is written out as one prefix-free byte stream (a kind letter, the class name where
    the class matters, a length or count, then the parts) and hashed once; a remembered part
    is written as its digest. One hash per remembered object rather than per item keeps
    digesting every page's values cheaper than rendering them.
    """

    def __init__(self) -> None:
        self._memo: dict[int, tuple[Any, bytes]] = {}

    def digest(self, value: Any) -> bytes:
        """A 32-byte digest of value's whole content."""
        remembered = self._memo.get(id(value))
        if remembered is not None and remembered[0] is value:
            return remembered[1]
        out: list[bytes] = []
        self._write(value, out, top=True)
        result = hashlib.sha256(b"".join(out)).digest()
        if _remembered(value):
            self._memo[id(value)] = (value, result)
        return result

    def digest_shared(self, value: Any) -> bytes:
        """Like digest(), remembered even when mutable: for values the caller knows stay unchanged
        for the whole build (the community-wide maps every page receives)."""
        remembered = self._memo.get(id(value))
        if remembered is not None and remembered[0] is value:
            return remembered[1]
        result = self.digest(value)
        self._memo[id(value)] = (value, result)
        return result

    def _write(self, value: Any, out: list[bytes], top: bool = False) -> None:
        kind = type(value)
        if kind is str:
            out.append(b"s" + _sized(value.encode("utf-8", "surrogatepass")))
        elif value is None or kind is bool:
            out.append(b"n" if value is None else b"t" if value else b"f")
        elif kind is int:
            out.append(b"i" + _sized(str(value).encode()))
        elif not top and _remembered(value):
            out.append(b"#" + self.digest(value))
        elif kind is tuple or kind is list:
            out.append((b"u" if kind is tuple else b"l") + len(value).to_bytes(8, "big"))
            for item in value:
                self._write(item, out)
        else:
            self._write_other(value, kind, out)

    def _write_other(self, value: Any, kind: type, out: list[bytes]) -> None:
        out.append(b"c" + _tag(kind))  # the class matters from here on: Markup prints unlike str
        if isinstance(value, str):
            out.append(_sized(value.encode("utf-8", "surrogatepass")))
        elif isinstance(value, bytes):
            out.append(_sized(bytes(value)))
        elif isinstance(value, float):
            out.append(struct.pack(">d", value))
        elif isinstance(value, (int, enum.Enum)):
            out.append(_sized(repr(value.value if isinstance(value, enum.Enum) else int(value)).encode()))
        elif isinstance(value, (datetime.date, datetime.time)):
            out.append(_sized(value.isoformat().encode()))
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            for name, framed in _field_names(kind):
                out.append(framed)
                self._write(getattr(value, name), out)
        elif isinstance(value, (list, tuple)):
            out.append(len(value).to_bytes(8, "big"))
            for item in value:
                self._write(item, out)
        elif isinstance(value, Mapping):  # in iteration order: a template sees that order
            out.append(len(value).to_bytes(8, "big"))
            for key, item in value.items():
                self._write(key, out)
                self._write(item, out)
        elif isinstance(value, Set):  # no order to see, so none to digest
            out.append(len(value).to_bytes(8, "big") + b"".join(sorted(self.digest(item) for item in value)))
        else:
            raise Unfingerprintable(f"cannot digest a {kind.__qualname__}")


def _remembered(value: Any) -> bool:
    """Immutable values worth remembering by identity: frozen dataclasses, long tuples, frozensets."""
    if isinstance(value, tuple):
        return len(value) >= _MEMO_LENGTH
    if isinstance(value, (frozenset, enum.Enum)):
        return True
    params = getattr(type(value), "__dataclass_params__", None)
    return bool(params and params.frozen)
