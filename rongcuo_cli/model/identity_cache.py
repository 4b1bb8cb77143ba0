"""Bounded caches: values worked out once per key, or per object found again by its identity.

Why identity: the objects are rulesets, vocabularies and shared ruling parts,
frozen Pydantic models whose hash walks every field (or that cannot be hashed
at all); the same object comes back thousands of times in a batch. The object
is kept alive beside its value, so its id cannot be reused while it is here
and never finds a stale value; the cache empties itself when full (objects come and go
in tests and linting, a batch keeps a handful).
"""

from __future__ import annotations

from itertools import repeat
from operator import is_
from typing import Any, Callable, Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


def remember(cache: dict[K, V], key: K, value: V, limit: int) -> V:
    """``cache[key] = value``, the cache emptied first when it holds ``limit`` values.

    Why empty it: the engine's caches hold what a batch repeats (a few hundred
    distinct values); a pathological input must not grow them without end.
    """
    if len(cache) >= limit:
        cache.clear()
    cache[key] = value
    return value


class IdentityCache(Generic[K, V]):
    """Values by the identity of their key; each key is kept alive beside its value.

    So an id found here is that of a living key, and no other living object
    has it: a lookup by id alone is exact (no second check, and ``many`` is one
    C-level pass).
    """

    __slots__ = ("_build", "_keys", "_values", "_limit")

    def __init__(self, build: Callable[[K], V], limit: int):
        self._build = build
        self._keys: dict[int, K] = {}
        self._values: dict[int, V] = {}
        self._limit = limit

    def __call__(self, key: K) -> V:
        found = self._values.get(id(key), _MISSING)
        return self._add(key) if found is _MISSING else found  # type: ignore[return-value]

    def many(self, keys: list[K]) -> list[V]:
        """``[self(key) for key in keys]`` in one call (a ruling's trail is looked up entry by entry)."""
        found = list(map(self._values.get, map(id, keys), repeat(_MISSING)))
        if any(map(is_, found, repeat(_MISSING))):  # by identity: no value's ``__eq__`` runs
            for at, value in enumerate(found):
                if value is _MISSING:
                    found[at] = self(keys[at])  # a key listed twice is built once
        return found  # type: ignore[return-value]

    def _add(self, key: K) -> V:
        value = self._build(key)
        if len(self._values) >= self._limit:
            self._keys.clear()
            self._values.clear()
        self._keys[id(key)] = key
        self._values[id(key)] = value
        return value


_MISSING: Any = object()
