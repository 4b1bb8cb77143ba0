"""Kleene three-valued logic.

Why: a fact the case does not give is unknown, never false. Python's own
``and``/``or`` would turn a missing value into False, so the engine uses this
type and nothing else for truth values.
"""

from __future__ import annotations

from enum import Enum
from typing import Iterable


class Tri(str, Enum):
    """A truth value that may be unknown; serialises as "true"/"false"/"unknown"."""

    TRUE = "true"
    FALSE = "false"
    UNKNOWN = "unknown"

    @classmethod
    def of(cls, value: bool | None) -> "Tri":
        if value is None:
            return cls.UNKNOWN
        return cls.TRUE if value else cls.FALSE

    def negate(self) -> "Tri":
        return _NEGATION[self]

    @property
    def known(self) -> bool:
        return self is not Tri.UNKNOWN

    @property
    def label(self) -> str:
        return _LABELS[self]


_NEGATION = {Tri.TRUE: Tri.FALSE, Tri.FALSE: Tri.TRUE, Tri.UNKNOWN: Tri.UNKNOWN}
_LABELS = {Tri.TRUE: "是", Tri.FALSE: "否", Tri.UNKNOWN: "未知"}


# Module constants: the engine's hot loops compare against them (a global is cheaper than a class attribute).
TRUE, FALSE, UNKNOWN = Tri.TRUE, Tri.FALSE, Tri.UNKNOWN


def all_of(values: Iterable[Tri]) -> Tri:
    """Kleene conjunction: false dominates, then unknown."""
    result = TRUE
    for value in values:
        if value is FALSE:
            return FALSE
        if value is UNKNOWN:
            result = UNKNOWN
    return result


def any_of(values: Iterable[Tri]) -> Tri:
    """Kleene disjunction: true dominates, then unknown."""
    result = FALSE
    for value in values:
        if value is TRUE:
            return TRUE
        if value is UNKNOWN:
            result = UNKNOWN
    return result
