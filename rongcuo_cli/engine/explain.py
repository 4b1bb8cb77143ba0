"""The evaluation tree of one rule: each node's three-valued result, each leaf's fact value.

Each node is evaluated with the same compiled semantics the engine uses
(``compile_condition``), so the tree can never disagree with the ruling.
"""

from __future__ import annotations

from typing import Any, Mapping, Optional

from pydantic import BaseModel, ConfigDict, Field

from rongcuo_cli.model.condition import AllOf, AnyOf, BodyIn, Condition, ContextAny, LossIn, Not, RuleRef, children, compile_condition, variables
from rongcuo_cli.model.diagnostics import Diagnostic, UsageError, suggest
from rongcuo_cli.load.ruleset_loader import CompiledRule, CompiledRuleset
from rongcuo_cli.model.tristate import Tri


class ExplainNode(BaseModel):
    """One node of a rule's condition, evaluated for the case."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    kind: str = Field(description="节点类型：rule / fact / all / any / not / loss / context / body / always")
    label: str = Field(description="节点说明（事实名、规则编号或运算）")
    result: Tri = Field(description="该节点的三值结论")
    facts: dict[str, Any] = Field(default_factory=dict, description="叶子读取的事实及其取值（null 为未知）")
    children: list["ExplainNode"] = Field(default_factory=list, description="子节点")


# Rules expanded in one tree: past this a reference is a leaf (a tree stays readable and
# its depth far from Python's recursion limit, however long a chain of references).
MAX_EXPANDED = 50
_LABELS = {AllOf: ("all", "全部成立"), AnyOf: ("any", "至少一项成立"), Not: ("not", "不成立"),
           LossIn: ("loss", "损失程度属于"), ContextAny: ("context", "工作情境包含"), BodyIn: ("body", "主体类型属于")}


def explain_rule(ruleset: CompiledRuleset, rule_id: str, env: Mapping[str, Any]) -> ExplainNode:
    by_id = {c.rule.id: c for c in ruleset.rules}
    if rule_id not in by_id:
        raise UsageError([Diagnostic(file=ruleset.files[0], code="unknown-rule", message=f"规则集 `{ruleset.id}` 中没有规则 `{rule_id}`",
                                     hint=suggest(rule_id, by_id) or "规则编号见 assess 的审查过程")])
    return _rule_node(by_id[rule_id], by_id, env, set())


def _rule_node(compiled: CompiledRule, by_id: dict[str, CompiledRule], env: Mapping[str, Any], shown: set[str]) -> ExplainNode:
    """A rule and its condition; a rule already shown in this tree (or too deep) is a leaf.

    Why: rules may name the same rule many times, and chains of them; expanding
    every reference would make the tree exponential in size.
    """
    rule = compiled.rule
    label = f"{rule.id}：{rule.title}"
    if rule.id in shown or len(shown) >= MAX_EXPANDED:
        note = "（已在上文展开）" if rule.id in shown else f"（展开的规则超过 {MAX_EXPANDED} 条，不再展开）"
        return ExplainNode(kind="rule", label=label + note, result=compiled.evaluate(env))
    shown.add(rule.id)
    kids = [] if rule.when is None else [_node(rule.when, by_id, env, shown)]
    return ExplainNode(kind="rule", label=label, result=compiled.evaluate(env), children=kids)


def _node(cond: Condition, by_id: dict[str, CompiledRule], env: Mapping[str, Any], shown: set[str]) -> ExplainNode:
    if isinstance(cond, RuleRef):
        return _rule_node(by_id[cond.rule], by_id, env, shown)
    result = compile_condition(cond, lambda ref: by_id[ref].evaluate)(env)
    if isinstance(cond, str):
        return ExplainNode(kind="fact", label=cond, result=result, facts={cond: env.get(cond)})
    kind, label = _LABELS[type(cond)]
    members: Optional[list[str]] = getattr(cond, kind, None) if kind in ("loss", "context", "body") else None
    facts = {v: env.get(v) for v in variables(cond)} if members is not None else {}
    text = f"{label} {'、'.join(members)}" if members is not None else label
    return ExplainNode(kind=kind, label=text, result=result, facts=facts, children=[_node(c, by_id, env, shown) for c in children(cond)])
