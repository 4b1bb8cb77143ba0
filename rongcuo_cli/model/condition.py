"""The condition language of rulesets: a YAML tree a policy reader can review.

A condition is one of:

- ``private_gain`` — a fact name: the fact is true;
- ``{not: C}`` — C does not hold;
- ``{all: [C, ...]}`` / ``{any: [C, ...]}`` — every / at least one holds;
- ``{loss: [major, severe]}`` — the loss level is one of these;
- ``{context: [reform_pilot, innovation]}`` — the case has one of these tags;
- ``{body: [street, community]}`` — the subject's body is one of these;
- ``{rule: some_rule_id}`` — that rule of the same ruleset holds.

Evaluation is Kleene three-valued: an unknown fact gives unknown, never false.
Nothing in a condition is executed: it is data, compiled to closures once.
"""

from __future__ import annotations

from typing import Annotated, Any, Callable, Mapping, Union

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag

from rongcuo_cli.model.tristate import Tri

# An environment maps variable names to known values; a missing key is unknown.
# Facts are "name" -> bool; loss and body are "loss"/"body" -> str; context tags
# are "context:TAG" -> bool (all present when the case gives a context list).
Environment = Mapping[str, Any]
Evaluator = Callable[[Environment], Tri]

CONTEXT_PREFIX = "context:"


class _Node(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


class AllOf(_Node):
    all: list["Condition"] = Field(min_length=1, description="全部成立")


class AnyOf(_Node):
    any: list["Condition"] = Field(min_length=1, description="至少一项成立")


class Not(_Node):
    not_: "Condition" = Field(alias="not", description="不成立")


class LossIn(_Node):
    loss: list[str] = Field(min_length=1, description="损失程度属于所列档次之一")


class ContextAny(_Node):
    context: list[str] = Field(min_length=1, description="工作情境包含所列标签之一")


class BodyIn(_Node):
    body: list[str] = Field(min_length=1, description="主体类型属于所列之一")


class RuleRef(_Node):
    rule: str = Field(description="引用本规则集中另一条规则的结论")


def _tag(value: Any) -> str | None:
    if isinstance(value, str):
        return "fact"
    if isinstance(value, dict) and len(value) == 1:
        return next(iter(value))
    if isinstance(value, BaseModel):
        return _MODEL_TAGS.get(type(value))
    return None


Condition = Annotated[
    Union[
        Annotated[str, Tag("fact")],
        Annotated[AllOf, Tag("all")],
        Annotated[AnyOf, Tag("any")],
        Annotated[Not, Tag("not")],
        Annotated[LossIn, Tag("loss")],
        Annotated[ContextAny, Tag("context")],
        Annotated[BodyIn, Tag("body")],
        Annotated[RuleRef, Tag("rule")],
    ],
    Discriminator(
        _tag,
        custom_error_type="condition",
        custom_error_message="条件应为事实名，或只含一个键的映射：all / any / not / loss / context / body / rule",
    ),
]

_MODEL_TAGS = {AllOf: "all", AnyOf: "any", Not: "not", LossIn: "loss", ContextAny: "context", BodyIn: "body", RuleRef: "rule"}
# No model_rebuild() for the recursive ``Condition``: the models' schemas are deferred, and
# resolved from this module (complete by then) the first time a condition is validated.


def children(cond: Condition) -> list[Condition]:
    if isinstance(cond, AllOf):
        return list(cond.all)
    if isinstance(cond, AnyOf):
        return list(cond.any)
    if isinstance(cond, Not):
        return [cond.not_]
    return []


def walk(cond: Condition):
    """Every node of a condition, depth first, parents before children."""
    yield cond
    for child in children(cond):
        yield from walk(child)


def variables(cond: Condition | None) -> list[str]:
    """Variables the condition reads directly (not through rule references), in order."""
    seen: dict[str, None] = {}
    if cond is None:
        return []
    for node in walk(cond):
        if isinstance(node, str):
            seen[node] = None
        elif isinstance(node, LossIn):
            seen["loss"] = None
        elif isinstance(node, BodyIn):
            seen["body"] = None
        elif isinstance(node, ContextAny):
            for tag in node.context:
                seen[CONTEXT_PREFIX + tag] = None
    return list(seen)


def references(cond: Condition | None) -> list[str]:
    if cond is None:
        return []
    return [node.rule for node in walk(cond) if isinstance(node, RuleRef)]


def fact_signs(cond: Condition | None, conditions: Mapping[str, "Condition | None"]) -> dict[str, set[bool]]:
    """Each fact a condition reads, directly or through rule references, with the signs it is read under.

    A sign is True where the fact's truth helps the condition hold (an even
    number of ``not`` above it), False where its falsity does. Loss, body and
    context are not facts and are left out. Each referenced rule is visited
    once per sign, so a chain of rules reading each other stays linear.
    """
    found: dict[str, set[bool]] = {}
    visited: set[tuple[str, bool]] = set()
    stack: list[tuple[Condition | None, bool]] = [(cond, True)]
    while stack:
        node, sign = stack.pop()
        if isinstance(node, str):
            found.setdefault(node, set()).add(sign)
        elif isinstance(node, Not):
            stack.append((node.not_, not sign))
        elif isinstance(node, (AllOf, AnyOf)):
            stack.extend((child, sign) for child in children(node))
        elif isinstance(node, RuleRef) and (node.rule, sign) not in visited:
            visited.add((node.rule, sign))
            stack.append((conditions.get(node.rule), sign))
    return found


def public_name(variable: str) -> str:
    """The name a user sees: context tags are answered together as ``context``."""
    return "context" if variable.startswith(CONTEXT_PREFIX) else variable


# Compilation: each node becomes a closure, so evaluating a case walks no
# Pydantic objects and dispatches on nothing. Why the closures are hand-shaped
# rather than built from ``all_of``/``any_of``: evaluation is half of an
# assessment, and generators and one call per fact cost more than the logic.
# Kleene conjunction and disjunction are commutative, so a node may test its
# fact children first and its other children after, with the same result.

_TRUE, _FALSE, _UNKNOWN = Tri.TRUE, Tri.FALSE, Tri.UNKNOWN
_NEGATE = {_TRUE: _FALSE, _FALSE: _TRUE, _UNKNOWN: _UNKNOWN}


def compile_condition(cond: Condition | None, resolve: Callable[[str], Evaluator]) -> Evaluator:
    if cond is None:
        return _always
    compiler = _COMPILERS[_tag(cond)]
    return compiler(cond, resolve)


def _always(env: Environment) -> Tri:
    return _TRUE


def _literal(cond: Condition) -> tuple[str, bool] | None:
    """(variable, wanted truth) when ``cond`` is a fact, a negated fact or a one-tag context."""
    if isinstance(cond, str):
        return cond, True
    if isinstance(cond, Not) and isinstance(cond.not_, str):
        return cond.not_, False
    if isinstance(cond, ContextAny) and len(cond.context) == 1:
        return CONTEXT_PREFIX + cond.context[0], True
    return None


def _compile_literal(name: str, wanted: bool) -> Evaluator:
    when_true, when_false = (_TRUE, _FALSE) if wanted else (_FALSE, _TRUE)

    def literal(env: Environment) -> Tri:
        value = env.get(name)
        if value is None:
            return _UNKNOWN
        return when_true if value else when_false

    return literal


def _compile_fact(name: str, resolve) -> Evaluator:
    return _compile_literal(name, True)


def _split(conds: list[Condition], resolve) -> tuple[tuple[tuple[str, bool], ...], tuple[Evaluator, ...]]:
    """Children as (variable, wanted) literals and compiled evaluators for the rest."""
    literals: list[tuple[str, bool]] = []
    others: list[Evaluator] = []
    for cond in conds:
        literal = _literal(cond)
        if literal is not None:
            literals.append(literal)
        else:
            others.append(compile_condition(cond, resolve))
    return tuple(literals), tuple(others)


def _compile_junction(conds: list[Condition], resolve, conjunction: bool) -> Evaluator:
    if len(conds) == 1:
        return compile_condition(conds[0], resolve)
    literals, others = _split(conds, resolve)
    # A conjunction stops at its first false child, a disjunction at its first true one.
    stop, otherwise = (_FALSE, _TRUE) if conjunction else (_TRUE, _FALSE)

    def junction(env: Environment) -> Tri:
        result = otherwise
        get = env.get
        for name, wanted in literals:
            value = get(name)
            if value is None:
                result = _UNKNOWN
            elif (not value) is wanted:  # the literal is false
                if conjunction:
                    return _FALSE
            elif not conjunction:  # the literal is true
                return _TRUE
        for part in others:
            value = part(env)
            if value is stop:
                return stop
            if value is _UNKNOWN:
                result = _UNKNOWN
        return result

    return junction


def _compile_all(cond: AllOf, resolve) -> Evaluator:
    return _compile_junction(cond.all, resolve, conjunction=True)


def _compile_any(cond: AnyOf, resolve) -> Evaluator:
    return _compile_junction(cond.any, resolve, conjunction=False)


def _compile_not(cond: Not, resolve) -> Evaluator:
    if isinstance(cond.not_, str):
        return _compile_literal(cond.not_, False)
    if isinstance(cond.not_, Not):  # double negation
        return compile_condition(cond.not_.not_, resolve)
    if isinstance(cond.not_, (LossIn, BodyIn)):
        key, values = ("loss", cond.not_.loss) if isinstance(cond.not_, LossIn) else ("body", cond.not_.body)
        return _compile_member(key, frozenset(values), wanted=False)
    inner = compile_condition(cond.not_, resolve)
    negate = _NEGATE
    return lambda env: negate[inner(env)]


def _compile_member(key: str, allowed: frozenset[str], wanted: bool = True) -> Evaluator:
    inside, outside = (_TRUE, _FALSE) if wanted else (_FALSE, _TRUE)

    def member(env: Environment) -> Tri:
        value = env.get(key)
        if value is None:
            return _UNKNOWN
        return inside if value in allowed else outside

    return member


def _compile_loss(cond: LossIn, resolve) -> Evaluator:
    return _compile_member("loss", frozenset(cond.loss))


def _compile_body(cond: BodyIn, resolve) -> Evaluator:
    return _compile_member("body", frozenset(cond.body))


def _compile_context(cond: ContextAny, resolve) -> Evaluator:
    return _compile_junction([CONTEXT_PREFIX + tag for tag in cond.context], resolve, conjunction=False)


def _compile_ref(cond: RuleRef, resolve) -> Evaluator:
    return resolve(cond.rule)


_COMPILERS: dict[str | None, Callable[[Any, Callable[[str], Evaluator]], Evaluator]] = {
    "fact": _compile_fact,
    "all": _compile_all,
    "any": _compile_any,
    "not": _compile_not,
    "loss": _compile_loss,
    "body": _compile_body,
    "context": _compile_context,
    "rule": _compile_ref,
}
