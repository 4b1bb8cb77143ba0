"""Bounded caches: values worked out once per key, or per object found again by its identity.

Why identity: the objects are rulesets, vocabularies and shared ruling parts,
frozen Pydantic models whose hash walks every field (or that cannot be hashed
at all); the same object comes back thousands of times in a batch. The object
is kept beside its value, so an id reused after the object is gone never
finds a stale value; the cache empties itself when full (objects come and go
in tests and linting, a batch keeps a handful).
"""

from __future__ import annotations

from typing import Callable, Generic, TypeVar

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
    __slots__ = ("_build", "_items", "_limit")

    def __init__(self, build: Callable[[K], V], limit: int):
        self._build = build
        self._items: dict[int, tuple[K, V]] = {}
        self._limit = limit

    def __call__(self, key: K) -> V:
        cached = self._items.get(id(key))
        if cached is None or cached[0] is not key:
            return self._add(key)
        return cached[1]

    def many(self, keys: list[K]) -> list[V]:
        """``[self(key) for key in keys]`` in one call (a ruling's trail is looked up entry by entry)."""
        get = self._items.get
        found = []
        for key in keys:
            cached = get(id(key))
            found.append(cached[1] if cached is not None and cached[0] is key else self._add(key))
        return found

    def _add(self, key: K) -> V:
        value = self._build(key)
        remember(self._items, id(key), (key, value), self._limit)
        return value
