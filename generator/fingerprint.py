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
from collections.abc import Mapping, Set
from typing import Any


class Unfingerprintable(TypeError):
    """A value whose content we cannot digest completely."""


_SCALARS = (str, bytes, int, float, bool, type(None))


def _type_tag(value: Any) -> bytes:
    kind = type(value)
    return f"{kind.__module__}.{kind.__qualname__}".encode()


def _frame(tag: bytes, body: bytes) -> bytes:
    """Length-prefixed so that no two different values can produce the same byte stream."""
    return struct.pack(">I", len(tag)) + tag + struct.pack(">Q", len(body)) + body


class Fingerprinter:
    """Digests values for one build, remembering immutable shared ones by identity."""

    def __init__(self) -> None:
        self._memo: dict[int, tuple[Any, bytes]] = {}

    def digest(self, value: Any) -> bytes:
        """A 32-byte digest of value's whole content."""
        if isinstance(value, _SCALARS):
            return hashlib.sha256(self._scalar(value)).digest()
        remembered = self._memo.get(id(value))
        if remembered is not None and remembered[0] is value:
            return remembered[1]
        result = hashlib.sha256(_frame(_type_tag(value), self._body(value))).digest()
        if _immutable(value):
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

    @staticmethod
    def _scalar(value: Any) -> bytes:
        if isinstance(value, (str, bytes)):
            data = value.encode("utf-8", "surrogatepass") if isinstance(value, str) else value
        elif isinstance(value, float):
            data = struct.pack(">d", value)
        else:
            data = repr(value).encode()  # int, bool, None: repr is exact
        return _frame(_type_tag(value), data)

    def _body(self, value: Any) -> bytes:
        if isinstance(value, enum.Enum):
            return self.digest(value.value)
        if isinstance(value, (datetime.date, datetime.time)):
            return value.isoformat().encode()
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return b"".join(f.name.encode() + b"=" + self.digest(getattr(value, f.name))
                            for f in dataclasses.fields(value))
        if isinstance(value, (list, tuple)):
            return b"".join(self.digest(item) for item in value)
        if isinstance(value, Mapping):  # in iteration order: a template sees that order
            return b"".join(self.digest(k) + self.digest(v) for k, v in value.items())
        if isinstance(value, Set):  # no order to see, so none to digest
            return b"".join(sorted(self.digest(item) for item in value))
        raise Unfingerprintable(f"cannot digest a {type(value).__qualname__}")


def _immutable(value: Any) -> bool:
    if isinstance(value, (tuple, frozenset, enum.Enum)):
        return True
    params = getattr(type(value), "__dataclass_params__", None)
    return bool(params and params.frozen)
