"""Keys of a few values out of a case's values, one C call per rule.

Why: the engine keeps caches per rule keyed by the values of the variables
that rule reads (trail entries, residuals). A case's values are listed once,
in a fixed order of variables; each rule then picks its own with an
``itemgetter`` instead of a Python loop over ``env.get``.
"""

from __future__ import annotations

from operator import itemgetter
from typing import Any, Callable


def picker(indices: list[int]) -> Callable[[list[Any]], Any]:
    """The values at ``indices`` as one hashable key (a single index gives the value itself)."""
    if not indices:
        return lambda values: ()
    return itemgetter(*indices)
