"""Every rule of a ruleset evaluated by one generated function: the results and the trail keys in one call.

Why: assessing is the hot loop of a batch and of the public API. The closures
of ``model.condition`` cost a Python call per node and a dict lookup per
reference; here the rules, in dependency order, become straight-line Kleene
code over local variables: each variable is read from the environment once,
each rule is evaluated once, and a reference is a local. The same pass lists,
per rule, the key of its trail entry: its result and the values it reads.

The source holds names only. Variable names, rule ids, value sets and the
truth values are the generated closure's cells (``c0``, ``c1`` …), never text
in the code, so nothing a ruleset says can change what the code does. The
closures stay the reference, serve re-evaluation of a few rules
(``RuleGraph``) and evaluate rulesets too large to generate (``MAX_SOURCE``);
``tests/test_condition_compile.py`` holds the two equal.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping, Sequence

from rongcuo_cli.model.condition import CONTEXT_PREFIX, AllOf, AnyOf, BodyIn, Condition, ContextAny, LossIn, Not, RuleRef
from rongcuo_cli.model.tristate import FALSE, TRUE, UNKNOWN, Tri

TrailKey = tuple[Any, ...]  # (the rule's result, then the value of each variable it reads directly; None: not given)
Evaluation = tuple[dict[str, Tri], tuple[TrailKey, ...]]


# Python's compiler grows faster than linearly in a function's size (its locals, a long
# junction, a large return display): past this many characters of source (the largest
# shipped ruleset needs about 6,000) the closures evaluate instead, so that a huge
# ruleset costs milliseconds to prepare, not seconds.
MAX_SOURCE = 60_000


def compile_rules(
    order: Sequence[str], conditions: Mapping[str, Condition | None], trail: Sequence[tuple[str, Sequence[str]]],
    closures: Callable[[Mapping[str, Any]], dict[str, Tri]],
) -> Callable[[Mapping[str, Any]], Evaluation]:
    """``env`` → (every rule's result in ``order``, the trail key of each (rule id, variables read) of ``trail``).

    ``order`` puts a rule after every rule it names (``RuleGraph.order``); ``closures`` gives
    the same results as the generated code (``RuleGraph.evaluate``), used past ``MAX_SOURCE``.
    """
    code = _Code()
    results: dict[str, str] = {}  # rule id → the local holding its result (a reference reads it)
    for rule_id in order:
        results[rule_id] = code.condition(conditions[rule_id], results)
    keys = [f"({', '.join([results[rule_id], *map(code.value, reads)])},)" for rule_id, reads in trail]
    entries = ", ".join(f"{code.constant(rule_id)}: {local}" for rule_id, local in results.items())
    code.line(f"return {{{entries}}}, ({''.join(key + ', ' for key in keys)})")
    if sum(map(len, code.lines)) > MAX_SOURCE:
        return _by_closures(closures, trail)
    return code.function()


def _by_closures(
    closures: Callable[[Mapping[str, Any]], dict[str, Tri]], trail: Sequence[tuple[str, Sequence[str]]],
) -> Callable[[Mapping[str, Any]], Evaluation]:
    """What the generated function gives, from the closures: for rulesets too large to generate."""

    def evaluate(env: Mapping[str, Any]) -> Evaluation:
        results, get = closures(env), env.get
        return results, tuple((results[rule_id], *map(get, reads)) for rule_id, reads in trail)

    return evaluate


class _Code:
    """The function's source lines and the objects bound to its cells."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.cells: list[Any] = []
        self.cell_of: dict[tuple[type, Any], str] = {}
        self.values: dict[str, str] = {}  # variable → local holding its value
        self.literals: dict[tuple[str, bool], str] = {}  # (variable, wanted) → local holding its truth
        self.count = 0

    def constant(self, value: Any) -> str:
        key = (type(value), value)
        name = self.cell_of.get(key)
        if name is None:
            name = self.cell_of[key] = f"c{len(self.cells)}"
            self.cells.append(value)
        return name

    def line(self, text: str) -> None:
        self.lines.append(text)

    def local(self, expression: str) -> str:
        name = f"x{self.count}"
        self.count += 1
        self.line(f"{name} = {expression}")
        return name

    def value(self, variable: str) -> str:
        name = self.values.get(variable)
        if name is None:
            name = self.values[variable] = f"v{len(self.values)}"
            self.line(f"{name} = get({self.constant(variable)})")
        return name

    def literal(self, variable: str, wanted: bool) -> str:
        """A boolean variable's truth (or its negation), as ``condition``'s literals read it."""
        name = self.literals.get((variable, wanted))
        if name is None:
            value = self.value(variable)
            yes, no = ("T", "F") if wanted else ("F", "T")
            name = self.literals[(variable, wanted)] = self.local(f"U if {value} is None else {yes} if {value} else {no}")
        return name

    def member(self, variable: str, allowed: list[str], wanted: bool) -> str:
        value = self.value(variable)
        yes, no = ("T", "F") if wanted else ("F", "T")
        return self.local(f"U if {value} is None else {yes} if {value} in {self.constant(frozenset(allowed))} else {no}")

    def junction(self, parts: list[str], conjunction: bool) -> str:
        if len(parts) == 1:
            return parts[0]
        stop, otherwise = ("F", "T") if conjunction else ("T", "F")
        stops = " or ".join(f"{part} is {stop}" for part in parts)
        unknowns = " or ".join(f"{part} is U" for part in parts)
        return self.local(f"{stop} if ({stops}) else U if ({unknowns}) else {otherwise}")

    def condition(self, cond: Condition | None, rules: dict[str, str]) -> str:
        """The local (or truth value) holding ``cond``'s result; a rule's result is recorded by the caller."""
        if cond is None:
            return "T"
        if isinstance(cond, str):
            return self.literal(cond, True)
        if isinstance(cond, AllOf):
            return self.junction([self.condition(part, rules) for part in cond.all], conjunction=True)
        if isinstance(cond, AnyOf):
            return self.junction([self.condition(part, rules) for part in cond.any], conjunction=False)
        if isinstance(cond, ContextAny):
            return self.junction([self.literal(CONTEXT_PREFIX + tag, True) for tag in cond.context], conjunction=False)
        if isinstance(cond, LossIn):
            return self.member("loss", cond.loss, True)
        if isinstance(cond, BodyIn):
            return self.member("body", cond.body, True)
        if isinstance(cond, RuleRef):
            return rules[cond.rule]
        assert isinstance(cond, Not)
        inner = cond.not_
        if isinstance(inner, str):
            return self.literal(inner, False)
        if isinstance(inner, Not):
            return self.condition(inner.not_, rules)
        if isinstance(inner, LossIn):
            return self.member("loss", inner.loss, False)
        if isinstance(inner, BodyIn):
            return self.member("body", inner.body, False)
        return self.local(f"NEGATE[{self.condition(inner, rules)}]")

    def function(self) -> Callable[[Mapping[str, Any]], Evaluation]:
        cells = ["T", "F", "U", "NEGATE", *(f"c{at}" for at in range(len(self.cells)))]
        source = "\n".join([
            f"def make({', '.join(cells)}):",
            "  def evaluate(env):",
            "    get = env.get",
            *("    " + line for line in self.lines),
            "  return evaluate",
        ])
        namespace: dict[str, Any] = {}
        exec(compile(source, "<rongcuo rules>", "exec"), namespace)  # noqa: S102 — names only, never data
        negate = {TRUE: FALSE, FALSE: TRUE, UNKNOWN: UNKNOWN}
        return namespace["make"](TRUE, FALSE, UNKNOWN, negate, *self.cells)  # type: ignore[no-any-return]
