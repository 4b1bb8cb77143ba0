"""Can some case make a set of rule conditions come out as wanted?

Why: a lint that says "this rule can never fire" must be right, so it asks an
exact question — is there an assignment of the facts that makes every
constraint hold — and answers it by search. Kleene evaluation of a partial
assignment prunes the search: a constraint already decided wrongly ends a
branch, one still unknown names the next variable to split on. Rules read few
facts, so the search is small; past a budget it gives up and says so, and the
lint then reports nothing rather than a guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable, Sequence

from .condition import Evaluator
from .tristate import Tri, any_of

SEARCH_BUDGET = 50_000


@dataclass(frozen=True)
class Constraint:
    """``evaluate`` must come out as ``want``; ``reads`` are the variables it depends on."""

    evaluate: Evaluator
    want: Tri
    reads: tuple[str, ...]


class SearchExhausted(Exception):
    """The budget ran out before the search could answer."""


def holds(evaluate: Evaluator, reads: Iterable[str], want: Tri = Tri.TRUE) -> Constraint:
    return Constraint(evaluate=evaluate, want=want, reads=tuple(reads))


def any_holds(parts: Sequence[tuple[Evaluator, tuple[str, ...]]]) -> Constraint:
    """At least one of ``parts`` holds."""
    evaluators = [evaluate for evaluate, _ in parts]
    reads = tuple(dict.fromkeys(v for _, part_reads in parts for v in part_reads))
    return Constraint(evaluate=lambda env: any_of(e(env) for e in evaluators), want=Tri.TRUE, reads=reads)


def find_case(constraints: Sequence[Constraint], domain: Callable[[str], list[Any]], budget: int = SEARCH_BUDGET) -> dict[str, Any] | None:
    """A partial assignment under which every constraint holds, or None when none exists.

    Variables the assignment leaves out may take any value. Raises
    SearchExhausted when the budget runs out first.
    """
    remaining = [budget]

    def search(env: dict[str, Any]) -> dict[str, Any] | None:
        remaining[0] -= 1
        if remaining[0] < 0:
            raise SearchExhausted
        undecided: list[Constraint] = []
        for constraint in constraints:
            value = constraint.evaluate(env)
            if value is Tri.UNKNOWN:
                undecided.append(constraint)
            elif value is not constraint.want:
                return None
        if not undecided:
            return env
        # Split on a variable of the most nearly decided constraint: its branches fail or succeed soonest.
        open_reads = [[v for v in c.reads if v not in env] for c in undecided]
        candidates = min((reads for reads in open_reads if reads), key=len, default=None)
        if candidates is None:  # every variable read is set, yet the value is unknown: cannot happen
            return None
        variable = candidates[0]
        for value in domain(variable):
            found = search({**env, variable: value})
            if found is not None:
                return found
        return None

    return search({})

