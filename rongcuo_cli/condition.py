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

from .tristate import Tri, all_of, any_of

# An environment maps variable names to known values; a missing key is unknown.
# Facts are "name" -> bool; loss and body are "loss"/"body" -> str; context tags
# are "context:TAG" -> bool (all present when the case gives a context list).
Environment = Mapping[str, Any]
Evaluator = Callable[[Environment], Tri]

CONTEXT_PREFIX = "context:"


class _Node(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


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

for _model in (AllOf, AnyOf, Not):
    _model.model_rebuild()


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


def public_name(variable: str) -> str:
    """The name a user sees: context tags are answered together as ``context``."""
    return "context" if variable.startswith(CONTEXT_PREFIX) else variable


# Compilation: each node becomes a closure, so evaluating a case walks no
# Pydantic objects and dispatches on nothing.

def compile_condition(cond: Condition | None, resolve: Callable[[str], Evaluator]) -> Evaluator:
    if cond is None:
        return _always
    compiler = _COMPILERS[_tag(cond)]
    return compiler(cond, resolve)


def _always(env: Environment) -> Tri:
    return Tri.TRUE


def _compile_fact(name: str, resolve) -> Evaluator:
    def fact(env: Environment) -> Tri:
        value = env.get(name)
        if value is None:
            return Tri.UNKNOWN
        return Tri.TRUE if value else Tri.FALSE

    return fact


def _compile_all(cond: AllOf, resolve) -> Evaluator:
    parts = [compile_condition(c, resolve) for c in cond.all]
    return lambda env: all_of(p(env) for p in parts)


def _compile_any(cond: AnyOf, resolve) -> Evaluator:
    parts = [compile_condition(c, resolve) for c in cond.any]
    return lambda env: any_of(p(env) for p in parts)


def _compile_not(cond: Not, resolve) -> Evaluator:
    inner = compile_condition(cond.not_, resolve)
    return lambda env: inner(env).negate()


def _compile_member(key: str, allowed: frozenset[str]) -> Evaluator:
    def member(env: Environment) -> Tri:
        value = env.get(key)
        if value is None:
            return Tri.UNKNOWN
        return Tri.TRUE if value in allowed else Tri.FALSE

    return member


def _compile_loss(cond: LossIn, resolve) -> Evaluator:
    return _compile_member("loss", frozenset(cond.loss))


def _compile_body(cond: BodyIn, resolve) -> Evaluator:
    return _compile_member("body", frozenset(cond.body))


def _compile_context(cond: ContextAny, resolve) -> Evaluator:
    parts = [_compile_fact(CONTEXT_PREFIX + tag, resolve) for tag in cond.context]
    return lambda env: any_of(p(env) for p in parts)


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
