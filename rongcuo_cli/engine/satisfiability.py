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

from rongcuo_cli.model.condition import Evaluator
from rongcuo_cli.model.tristate import Tri

SEARCH_BUDGET = 50_000  # search nodes for one question


class Budget:
    """Work shared by many searches (a whole lint): constraint evaluations left.

    Why: one search is bounded by ``SEARCH_BUDGET``, but a lint asks a question
    per rule and per pair of rules; a large or convoluted ruleset could still
    take minutes. Once the budget is spent every further search gives up at
    once, and the caller reports that the checks are incomplete.
    """

    def __init__(self, evaluations: int):
        self.remaining = evaluations
        self.spent_out = False

    def spend(self, cost: int) -> None:
        self.remaining -= cost
        if self.remaining < 0:
            self.spent_out = True
            raise SearchExhausted


@dataclass(frozen=True)
class Constraint:
    """``evaluate`` must come out as ``want``; ``reads`` are the variables it depends on."""

    evaluate: Evaluator
    want: Tri
    reads: tuple[str, ...]
    cost: int = 1  # rules evaluated each time (for a shared Budget)


class SearchExhausted(Exception):
    """The budget ran out before the search could answer."""


def holds(evaluate: Evaluator, reads: Iterable[str], want: Tri = Tri.TRUE) -> Constraint:
    return Constraint(evaluate=evaluate, want=want, reads=tuple(reads))


def find_case(constraints: Sequence[Constraint], domain: Callable[[str], list[Any]], budget: int = SEARCH_BUDGET,
              shared: Budget | None = None) -> dict[str, Any] | None:
    """A partial assignment under which every constraint holds, or None when none exists.

    Variables the assignment leaves out may take any value. Raises
    SearchExhausted when the budget (or the ``shared`` one) runs out first.
    """
    remaining = [budget]
    cost = sum(c.cost for c in constraints)

    def search(env: dict[str, Any]) -> dict[str, Any] | None:
        remaining[0] -= 1
        if remaining[0] < 0:
            raise SearchExhausted
        if shared is not None:
            shared.spend(cost)
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

