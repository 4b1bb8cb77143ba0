"""Copies of plain JSON data (dict, list and scalars) made fast by planning them once.

Why: the same dumped data (a trail entry) goes into many rulings' ``as_dict``.
Handing out the cached containers themselves would let a caller who edits one
result change every other; copying them with a generic recursive walk costs
more than dumping anew. A copier is planned once per value: scalars and
strings are shared (they are immutable), only containers are rebuilt.
"""

from __future__ import annotations

from typing import Any, Callable

Copier = Callable[[], Any]


def fresh_copier(value: Any) -> Copier:
    """A function returning a copy of ``value`` that shares nothing mutable with it or earlier copies."""
    kind = type(value)
    if kind is dict:
        # Containers of scalars (the usual case) are copied by their own C method, in one loop.
        flat = tuple((key, item) for key, item in value.items() if _is_container(item) and not _holds_container(item))
        deep = tuple((key, fresh_copier(item)) for key, item in value.items() if _holds_container(item))
        original = value

        def copy_dict() -> dict[Any, Any]:
            copied = original.copy()
            for key, item in flat:
                copied[key] = item.copy()
            for key, copier in deep:
                copied[key] = copier()
            return copied

        return copy_dict
    if kind is list:
        if not _holds_container(value):
            return value.copy
        copiers = [fresh_copier(item) for item in value]
        return lambda: [copier() for copier in copiers]
    return lambda: value


def _is_container(value: Any) -> bool:
    return type(value) in (dict, list)


def _holds_container(value: Any) -> bool:
    items = value.values() if type(value) is dict else value if type(value) is list else ()
    return any(map(_is_container, items))
