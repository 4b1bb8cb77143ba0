"""Rules that read other rules (``{rule: id}``), evaluated once each per case.

Why: a condition may name another rule, and that one others, and the same
rule twice. Compiled naively, each reference evaluates the named rule again,
so a chain of rules each reading the previous one twice costs 2^n. The
references form a graph without cycles; here the rules are put in dependency
order once per ruleset, and an evaluation keeps every rule's result in a
``Scope``: a reference reads the result, it never evaluates again. Loading,
evaluating and the variables a rule reads are then linear in the rules and
references, and no step recurses along a chain (a long chain cannot reach
Python's recursion limit).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

from rongcuo_cli.model.condition import Environment, Evaluator, compile_condition, references, variables
from rongcuo_cli.model.diagnostics import UserError
from rongcuo_cli.model.tristate import Tri, any_of


class Scope:
    """One evaluation of one case: the variables' values, and the results of the rules so far."""

    __slots__ = ("get", "results")

    def __init__(self, env: Mapping[str, Any], results: dict[str, Tri]):
        self.get = env.get  # conditions read variables only through ``get``
        self.results = results


@dataclass(frozen=True)
class RuleGraph:
    """Rule ids in dependency order (a rule after every rule it names) and their compiled conditions."""

    order: tuple[str, ...]
    steps: tuple[tuple[str, Evaluator], ...]  # (rule id, condition evaluated in a Scope), in ``order``
    refs: dict[str, tuple[str, ...]]
    reads_all: dict[str, tuple[str, ...]]  # variables read directly or through references
    position: dict[str, int]

    @classmethod
    def build(cls, rules: Mapping[str, Any], cycle_error: Callable[[str, list[str]], UserError]) -> RuleGraph:
        """``rules``: id → rule (with ``when``), every reference known; a cycle raises ``cycle_error(id, path)``."""
        refs = {rule_id: tuple(dict.fromkeys(references(rule.when))) for rule_id, rule in rules.items()}
        order = _dependency_order(refs, cycle_error)
        compiled: dict[str, Evaluator] = {}
        reads_all: dict[str, tuple[str, ...]] = {}
        for rule_id in order:
            compiled[rule_id] = compile_condition(rules[rule_id].when, lambda ref: _reference(ref, compiled[ref]))
            found = dict.fromkeys(variables(rules[rule_id].when))
            for ref in refs[rule_id]:
                found.update(dict.fromkeys(reads_all[ref]))
            reads_all[rule_id] = tuple(found)
        steps = tuple((rule_id, compiled[rule_id]) for rule_id in order)
        return cls(order=tuple(order), steps=steps, refs=refs, reads_all=reads_all, position={r: i for i, r in enumerate(order)})

    def evaluate(self, env: Environment) -> dict[str, Tri]:
        """Every rule's result for ``env``, each rule evaluated once."""
        return _evaluate(self.steps, env)

    def reevaluate(self, env: Environment, results: Mapping[str, Tri], rule_ids: set[str]) -> dict[str, Tri]:
        """``results`` with ``rule_ids`` (and nothing else) evaluated again for ``env``, in dependency order."""
        updated = dict(results)
        scope = Scope(env, updated)
        for rule_id in sorted(rule_ids, key=self.position.__getitem__):
            updated[rule_id] = self._condition(rule_id)(scope)  # type: ignore[arg-type]
        return updated

    def _condition(self, rule_id: str) -> Evaluator:
        return self.steps[self.position[rule_id]][1]

    def entry(self, rule_id: str) -> Evaluator:
        """One rule's evaluator on a plain environment: the rules it names first, each once."""
        if not self.refs[rule_id]:
            return self._condition(rule_id)  # reads variables only: no scope needed
        steps: list[tuple[str, Evaluator]] = []

        def evaluate(env: Environment) -> Tri:
            if not steps:  # worked out on first use: most rules are never evaluated on their own
                steps.extend(self._steps([rule_id]))
            return _evaluate(steps, env)[rule_id]

        return evaluate

    def any_entry(self, rule_ids: list[str]) -> Evaluator:
        """Whether any of ``rule_ids`` holds, on a plain environment: every rule involved evaluated once."""
        steps = self._steps(rule_ids)
        wanted = list(rule_ids)

        def evaluate(env: Environment) -> Tri:
            results = _evaluate(steps, env)
            return any_of(results[r] for r in wanted)

        return evaluate

    def _steps(self, rule_ids: list[str]) -> list[tuple[str, Evaluator]]:
        """``rule_ids`` and every rule they name, directly or not, in dependency order."""
        seen: set[str] = set()
        stack = list(rule_ids)
        while stack:
            rule_id = stack.pop()
            if rule_id not in seen:
                seen.add(rule_id)
                stack.extend(self.refs[rule_id])
        return [self.steps[i] for i in sorted(map(self.position.__getitem__, seen))]


def _evaluate(steps: Sequence[tuple[str, Evaluator]], env: Environment) -> dict[str, Tri]:
    """Results of ``steps`` (in dependency order) for ``env``, each rule evaluated once."""
    results: dict[str, Tri] = {}
    scope = Scope(env, results)
    for rule_id, condition in steps:
        results[rule_id] = condition(scope)  # type: ignore[arg-type]
    return results


def _reference(rule_id: str, condition: Evaluator) -> Evaluator:
    """``{rule: id}``: the result already in the scope (dependency order puts it there first)."""

    def reference(scope: Any) -> Tri:
        value = scope.results.get(rule_id)
        if value is None:  # not evaluated in this scope yet: only when called out of order
            value = scope.results[rule_id] = condition(scope)
        return value

    return reference


def _dependency_order(refs: Mapping[str, tuple[str, ...]], cycle_error: Callable[[str, list[str]], UserError]) -> list[str]:
    """Depth-first post-order without recursion; the first cycle met is an error naming its path."""
    order: list[str] = []
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    for root in refs:
        if root in state:
            continue
        path: list[str] = [root]
        pending: list[list[str]] = [list(refs[root])[::-1]]
        state[root] = 1
        while path:
            if pending[-1]:
                ref = pending[-1].pop()
                if state.get(ref) == 1:
                    raise cycle_error(ref, path[path.index(ref):] + [ref])
                if ref not in state:
                    state[ref] = 1
                    path.append(ref)
                    pending.append(list(refs[ref])[::-1])
            else:
                done = path.pop()
                pending.pop()
                state[done] = 2
                order.append(done)
    return order
