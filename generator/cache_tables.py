"""The community-wide collections every page receives, and the parts of them one page reads.

Every page gets the whole community (`community.members`, `community.by_handle`), every
avatar (`avatars`) and every topic slug (`links.slugs`), but reads a handful of entries: its
member's connections, its suggestions, the member count in the footer. Counting each whole
collection in every page's key would make any edit anywhere re-render every page. So the
page cache renders a page once with each such collection replaced by a recording view,
keeps what was read (a key, an index, the length, or everything) with the digest of what it
held, and later reuses the page only if each of those still holds the same.

Sound by construction for reading: a Mapping is read only through __getitem__, __iter__
and __len__, a Sequence through __getitem__ and __len__ (everything else in collections.abc
is built on them); anything that walks or prints a collection records all of it. A method
of a shared object reads its fields through the same views, since the object the page sees
is a copy whose collection fields are views. What a view cannot do (be JSON-encoded, be
concatenated) raises, and the cache then renders the page plainly and keeps nothing.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Iterator

WHOLE, LENGTH, KEY, INDEX = "whole", "len", "key", "index"
Read = tuple[str, str, Any]  # (label such as "community.by_handle", kind, key or index or None)


@dataclass
class Reads:
    """What one page read from the shared collections."""

    entries: set[Read] = field(default_factory=set)

    def add(self, label: str, kind: str, key: Any = None) -> None:
        self.entries.add((label, kind, key))


class RecordingMap(Mapping[Any, Any]):
    """A read-only view of a mapping that notes each key read, or the whole of it."""

    def __init__(self, target: Mapping[Any, Any], label: str, reads: Reads) -> None:
        self._target, self._label, self._reads = target, label, reads

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            self._reads.add(self._label, KEY, key)
        else:
            self._reads.add(self._label, WHOLE)
        return self._target[key]

    def __iter__(self) -> Iterator[Any]:
        self._reads.add(self._label, WHOLE)
        return iter(self._target)

    def __len__(self) -> int:
        self._reads.add(self._label, LENGTH)
        return len(self._target)

    def __repr__(self) -> str:  # printed in a template, it must read exactly like the mapping
        self._reads.add(self._label, WHOLE)
        return repr(self._target)

    __str__ = __repr__


class RecordingSequence(Sequence[Any]):
    """A read-only view of a tuple or list that notes each index read, its length, or the whole."""

    def __init__(self, target: Sequence[Any], label: str, reads: Reads) -> None:
        self._target, self._label, self._reads = target, label, reads

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, int):
            self._reads.add(self._label, INDEX, index)
        else:  # a slice
            self._reads.add(self._label, WHOLE)
        return self._target[index]

    def __len__(self) -> int:
        self._reads.add(self._label, LENGTH)
        return len(self._target)

    def __iter__(self) -> Iterator[Any]:
        self._reads.add(self._label, WHOLE)
        return iter(self._target)

    def __eq__(self, other: object) -> bool:
        self._reads.add(self._label, WHOLE)
        return self._target == (other._target if isinstance(other, RecordingSequence) else other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        self._reads.add(self._label, WHOLE)
        return repr(self._target)

    __str__ = __repr__


def _collection(value: Any) -> bool:
    return isinstance(value, (Mapping, tuple, list)) and bool(value)


def collection_fields(value: Any) -> tuple[str, ...]:
    """The fields of a frozen dataclass instance that hold a non-empty collection."""
    params = getattr(type(value), "__dataclass_params__", None)
    if not (params and params.frozen) or not hasattr(value, "__dict__"):
        return ()
    return tuple(f.name for f in dataclasses.fields(value) if _collection(getattr(value, f.name)))


def is_collection(value: Any) -> bool:
    """A shared value that is itself a collection to record reads of."""
    return _collection(value)


def _view(value: Any, label: str, reads: Reads) -> Any:
    if isinstance(value, Mapping):
        return RecordingMap(value, label, reads)
    return RecordingSequence(value, label, reads)


def wrap(name: str, value: Any, reads: Reads) -> Any:
    """The shared value as the page sees it: collections (its own, or its fields) as views."""
    if is_collection(value):
        return _view(value, name, reads)
    fields = collection_fields(value)
    if not fields:
        return value
    seen = copy.copy(value)  # no __init__ or __post_init__: cheap, and the original stays as it was
    for f in fields:
        object.__setattr__(seen, f, _view(getattr(value, f), f"{name}.{f}", reads))
    return seen


def resolve(shared: Mapping[str, Any], label: str) -> Any:
    """The collection a label names (`avatars`, `links.slugs`) among this build's shared values,
    or None when it is no longer a recorded collection."""
    name, _, attribute = label.partition(".")
    value = shared.get(name)
    if attribute:
        return getattr(value, attribute) if attribute in collection_fields(value) else None
    return value if is_collection(value) else None


def read_again(target: Any, kind: str, key: Any, missing: Any) -> Any:
    """What a recorded read gives now: the length, the entry (or `missing`), or the whole collection."""
    if kind == LENGTH:
        return len(target)
    if kind == KEY:
        return target[key] if key in target else missing
    if kind == INDEX:
        try:
            return target[key]
        except (IndexError, TypeError):
            return missing
    return target
