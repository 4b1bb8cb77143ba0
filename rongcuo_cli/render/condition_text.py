"""A condition in readable Chinese, for a reviewer who knows the policy but not YAML."""

from __future__ import annotations

from typing import Callable

from rongcuo_cli.model.condition import AllOf, AnyOf, BodyIn, Condition, ContextAny, LossIn, Not, RuleRef
from rongcuo_cli.model.vocabulary import Vocabulary

ALWAYS = "无条件成立"


def describe(cond: Condition | None, vocab: Vocabulary) -> str:
    """``{all: [diligent, {not: private_gain}]}`` → ``履职尽责… 且 并非「为自己…谋取私利」``."""
    if cond is None:
        return ALWAYS
    return _DESCRIBERS[type(cond)](cond, vocab)


def _nested(cond: Condition, vocab: Vocabulary) -> str:
    text = describe(cond, vocab)
    # A 并非 term inside 且/或 is bracketed too: "并非A 或 B" would read as 并非(A或B).
    return f"（{text}）" if isinstance(cond, (AllOf, AnyOf, Not)) else text


def _fact(name: str, vocab: Vocabulary) -> str:
    return f"「{vocab.variable_label(name)}」"


def _members(label: str, values: list[str], names: dict[str, str]) -> str:
    # Labels contain 、 themselves, so each is bracketed and the alternatives joined by 或.
    return f"{label}为" + "或".join(f"「{names.get(v, v)}」" for v in values)


_DESCRIBERS: dict[type, Callable[..., str]] = {
    str: _fact,
    AllOf: lambda c, v: " 且 ".join(_nested(x, v) for x in c.all),
    AnyOf: lambda c, v: " 或 ".join(_nested(x, v) for x in c.any),
    Not: lambda c, v: "并非" + (f"（{describe(c.not_, v)}）" if isinstance(c.not_, (AllOf, AnyOf)) else describe(c.not_, v)),
    LossIn: lambda c, v: _members("损失程度", c.loss, v.loss.levels),
    ContextAny: lambda c, v: _members("工作情境", c.context, v.context.tags),
    BodyIn: lambda c, v: _members("主体类型", c.body, v.body.values),
    RuleRef: lambda c, v: f"规则 {c.rule} 成立",
}
