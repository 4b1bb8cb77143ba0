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
        # Two levels are copied inline (a trail entry's citation and its quote list, its
        # facts): one call per entry, not one per container. Deeper data recurses.
        flat, two_level, deeper = [], [], []
        for key, item in value.items():
            if not _is_container(item):
                continue
            if not _holds_container(item):
                flat.append((key, item))
            elif _two_level(item):
                inner_flat = [(k, v) for k, v in item.items() if _is_container(v)] if type(item) is dict else None
                two_level.append((key, item, inner_flat))
            else:
                deeper.append((key, fresh_copier(item)))
        original = value

        def copy_dict() -> dict[Any, Any]:
            copied = original.copy()
            for key, item in flat:
                copied[key] = item.copy()
            for key, item, inner_flat in two_level:
                if inner_flat is None:  # a list of containers of scalars
                    copied[key] = [inner.copy() for inner in item]
                else:
                    sub = copied[key] = item.copy()
                    for inner_key, inner in inner_flat:
                        sub[inner_key] = inner.copy()
            for key, copier in deeper:
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


def _two_level(value: Any) -> bool:
    """A dict of scalars and containers of scalars, or a list of containers of scalars only."""
    children = list(_children(value))
    if any(map(_holds_container, children)):
        return False
    return type(value) is dict or all(map(_is_container, children))


def _children(value: Any) -> Any:
    return value.values() if type(value) is dict else value if type(value) is list else ()


def _holds_container(value: Any) -> bool:
    return any(map(_is_container, _children(value)))
