"""What a rule still asks once some variables are known: Kleene partial evaluation to a canonical form.

Why: exploring unknown facts (``explore``) remembers the states it has
settled. Two states whose undetermined rules still ask the same question of
the same unknown variables grow the same tree, even where the facts they
already know differ: ``{any: [a, b]}`` asks ``b`` after a=false, and
``{context: [x, y]}`` asks nothing more after x=true, whatever y is. A
residual is the condition with every known variable put in and simplified by
Kleene's laws (true ∧ C = C, false ∧ C = false, and their duals), so it is
unknown exactly when the compiled condition is, and evaluating it on any
later environment gives what the rule gives.

Residuals are interned to integers (a settled one is the ``Tri`` value
itself), so a state's key is flat and cheap to hash, and answering one more
variable (``given``) is a lookup once it has been worked out. A rule's
residual depends only on the variables it reads (through references too), so
it is worked out once per distinct set of their values. Nothing recurses
along a chain of rule references: a rule's residual names those of the rules
it reads by their ids, and ``given`` walks them with a stack.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping, Union

from rongcuo_cli.load.ruleset_loader import CompiledRuleset
from rongcuo_cli.model.picker import picker
from rongcuo_cli.model.condition import CONTEXT_PREFIX, AllOf, AnyOf, BodyIn, Condition, ContextAny, LossIn, Not, RuleRef
from rongcuo_cli.model.tristate import Tri

Residual = Union[Tri, int]  # a settled rule, or the id of what it still asks

_TRUE, _FALSE = Tri.TRUE, Tri.FALSE
_NEGATE = {_TRUE: _FALSE, _FALSE: _TRUE}
# Shapes: ("is", variable) a boolean variable holds; ("in", variable, values) loss or body is one of
# values; ("not", id); ("all", ids) / ("any", ids) with at least two open parts.
_IS, _IN, _NOT, _ALL, _ANY = "is", "in", "not", "all", "any"


class Residuals:
    """Every rule's residual under an environment, and residuals after one more answer, remembered."""

    def __init__(self, ruleset: CompiledRuleset):
        assert ruleset.graph is not None  # every loaded ruleset has one
        self.graph = ruleset.graph
        self.when = {compiled.rule.id: compiled.rule.when for compiled in ruleset.rules}
        self.reads = self.graph.reads_all
        variables = dict.fromkeys(v for reads in self.reads.values() for v in reads)
        self.bit = {variable: 1 << at for at, variable in enumerate(variables)}  # variable → its bit in a set of variables
        position = {variable: at for at, variable in enumerate(variables)}
        self.pickers = [(rule_id, picker([position[v] for v in self.reads[rule_id]])) for rule_id in self.graph.order]
        self.shapes: list[tuple] = []
        self.variables: list[int] = []  # per residual id: the variables it still reads, as bits
        self.ids: dict[tuple, int] = {}
        self.known: dict[tuple, Residual] = {}  # (rule id, value or values of the variables it reads) → residual
        self.answered: dict[tuple[int, str, Any], Residual] = {}  # (residual, variable, value) → residual

    def every(self, env: Mapping[str, Any]) -> dict[str, Residual]:
        """Every rule's residual under ``env``, the rules named first (dependency order): each reference is a lookup."""
        done: dict[str, Residual] = {}
        get, known = env.get, self.known
        values = list(map(get, self.bit))  # every variable's value once; each rule picks its own
        for rule_id, pick in self.pickers:
            key = (rule_id, pick(values))
            value = known.get(key)
            if value is None:
                value = known[key] = self._partial(self.when[rule_id], get, done)
            done[rule_id] = value
        return done

    def given(self, residual: Residual, variable: str, value: Any) -> Residual:
        """``residual`` once ``variable`` has ``value``."""
        if isinstance(residual, Tri) or not self.variables[residual] & self.bit[variable]:
            return residual
        found = self.answered.get((residual, variable, value))
        if found is None:
            found = self._answer(residual, variable, value)
        return found

    def _answer(self, residual: int, variable: str, value: Any) -> Residual:
        bit, answered, shapes = self.bit[variable], self.answered, self.shapes
        stack = [residual]
        while stack:
            top = stack[-1]
            if (top, variable, value) in answered:
                stack.pop()
                continue
            shape = shapes[top]
            kind = shape[0]
            if kind == _IS:
                found: Residual = (_TRUE if value else _FALSE) if shape[1] == variable else top
            elif kind == _IN:
                found = (_TRUE if value in shape[2] else _FALSE) if shape[1] == variable else top
            else:
                parts = (shape[1],) if kind == _NOT else shape[1]
                waiting = [p for p in parts if self.variables[p] & bit and (p, variable, value) not in answered]
                if waiting:
                    stack.extend(waiting)
                    continue
                new = [answered[(p, variable, value)] if self.variables[p] & bit else p for p in parts]
                if kind == _NOT:
                    found = _NEGATE[new[0]] if isinstance(new[0], Tri) else self._intern((_NOT, new[0]))
                else:
                    found = self._junction(new, conjunction=kind == _ALL)
            answered[(top, variable, value)] = found
            stack.pop()
        return answered[(residual, variable, value)]

    def _partial(self, cond: Condition | None, get: Callable[[str], Any], done: dict[str, Residual]) -> Residual:
        if cond is None:
            return _TRUE
        if isinstance(cond, str):
            return self._literal(cond, get)
        if isinstance(cond, RuleRef):
            return done[cond.rule]
        if isinstance(cond, Not):
            inner = self._partial(cond.not_, get, done)
            return _NEGATE[inner] if isinstance(inner, Tri) else self._intern((_NOT, inner))
        if isinstance(cond, (LossIn, BodyIn)):
            variable, allowed = ("loss", cond.loss) if isinstance(cond, LossIn) else ("body", cond.body)
            value = get(variable)
            if value is None:
                return self._intern((_IN, variable, frozenset(allowed)))
            return _TRUE if value in allowed else _FALSE
        if isinstance(cond, ContextAny):
            return self._junction([self._literal(CONTEXT_PREFIX + tag, get) for tag in cond.context], conjunction=False)
        if isinstance(cond, AllOf):
            return self._junction([self._partial(part, get, done) for part in cond.all], conjunction=True)
        if isinstance(cond, AnyOf):
            return self._junction([self._partial(part, get, done) for part in cond.any], conjunction=False)
        raise TypeError(f"unknown condition node {cond!r}")

    def _literal(self, variable: str, get: Callable[[str], Any]) -> Residual:
        value = get(variable)
        if value is None:
            return self._intern((_IS, variable))
        return _TRUE if value else _FALSE

    def _junction(self, parts: list[Residual], conjunction: bool) -> Residual:
        stop, neutral = (_FALSE, _TRUE) if conjunction else (_TRUE, _FALSE)
        open_: list[int] = []
        for part in parts:
            if part is stop:
                return stop
            if part is not neutral:
                open_.append(part)  # type: ignore[arg-type]
        if not open_:
            return neutral
        if len(open_) == 1:
            return open_[0]
        return self._intern((_ALL if conjunction else _ANY, tuple(open_)))

    def _intern(self, shape: tuple) -> int:
        found = self.ids.get(shape)
        if found is None:
            found = self.ids[shape] = len(self.shapes)
            self.shapes.append(shape)
            kind = shape[0]
            if kind == _IS or kind == _IN:
                variables = self.bit[shape[1]]
            else:
                variables = 0
                for part in (shape[1],) if kind == _NOT else shape[1]:
                    variables |= self.variables[part]
            self.variables.append(variables)
        return found
