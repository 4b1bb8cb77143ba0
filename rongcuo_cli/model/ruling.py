"""The ruling (contract 2): what the tool recommends for one case, and why."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from operator import attrgetter, call
from typing import Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field

from rongcuo_cli.model.ruleset import Citation, DateKey, Guidance, OutcomeName, ProcedureStep, RuleKind
from rongcuo_cli.model.identity_cache import IdentityCache, remember
from rongcuo_cli.model.plain import Copier, fresh_copier
from rongcuo_cli.model.safe_text import json_document
from rongcuo_cli.model.tristate import Tri

OutcomeValue = Literal["waived", "reduced", "lighter", "not_tolerated", "undetermined"]

OUTCOME_LABELS: dict[str, str] = {
    "waived": "免除",
    "reduced": "减轻",
    "lighter": "从轻",
    "not_tolerated": "不予容错",
    "undetermined": "待定",
}
OUTCOME_MEANINGS: dict[str, str] = {
    "waived": "免除责任追究",
    "reduced": "减轻责任追究（在应受处理幅度以外减轻一档）",
    "lighter": "从轻责任追究（在应受处理幅度以内从轻）",
    "not_tolerated": "不予容错，依规依纪依法问责",
    "undetermined": "事实不全，尚不能认定",
}


def describe_range(outcome_range: list[str], point: str) -> str:
    """The lawful range as a handler says it: 可以免除，也可以减轻或从轻."""
    if point == "undetermined":
        return "事实不全，尚不能确定处理幅度"
    if point == "not_tolerated":
        return "不予容错，依规依纪依法问责"
    others = [OUTCOME_LABELS[o] for o in outcome_range if o != point]
    if not others:
        return f"依条文应当{OUTCOME_LABELS[point]}（无裁量幅度）"
    return f"可以{OUTCOME_LABELS[point]}，也可以{'或'.join(others)}"


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class TrailEntry(_Frozen):
    """One rule checked: its result, the facts it read, and the clause it applies."""

    rule: str = Field(description="规则编号")
    kind: Union[RuleKind, Literal["version"]] = Field(
        description="exclusion=不予容错情形，requirement=一般条件，situation=适用情形，outcome=处理结果，version=适用的规则集版本"
    )
    title: str = Field(description="规则标题")
    result: Tri = Field(description="结论：true=是，false=否，unknown=未知")
    facts: dict[str, Any] = Field(description="该规则读取的事实及其取值（null 为未知）")
    cites: Citation = Field(description="所依据的条款及原文")
    basis: Literal["text", "interpretation"] = Field(description="text=原文规定，interpretation=本工具的解释")
    leans_on: list[Citation] = Field(default_factory=list, description="解释所依据的条款")
    origin: str = Field(description="该规则所在的规则集文件")
    note: Optional[str] = Field(default=None, description="说明")
    decided: bool = Field(default=False, description="是否为决定处理结果的那一项")
    range: Optional[list[OutcomeName]] = Field(default=None, description="处理结果项：条文允许的处理幅度（从宽到严）；其他规则为 null")
    point_reason: Optional[str] = Field(default=None, description="处理结果项：为何在幅度内建议这一结果")


class Question(_Frozen):
    """A missing fact, asked the way a case handler would answer it."""

    fact: str = Field(description="事实名（或 loss / context / body）")
    label: str = Field(description="中文名称")
    question: str = Field(description="需要查明的问题")


class DeadlineStatus(_Frozen):
    """A step's deadline computed from the case's dates, and whether it was met."""

    after: DateKey = Field(description="起算日期的键")
    start: Optional[dt.date] = Field(description="起算日期（未知为 null）")
    working_days: int = Field(description="期限（工作日数）")
    due: Optional[dt.date] = Field(description="截止日期（无法计算为 null）")
    actual_key: Optional[DateKey] = Field(description="实际完成日期的键")
    actual: Optional[dt.date] = Field(description="实际完成日期（未知为 null）")
    timely: Optional[bool] = Field(description="是否在期限内：true=按期，false=逾期，null=无法判断")
    text: str = Field(description="中文说明")


class ProcedureStepStatus(ProcedureStep):
    """A procedure step of the ruleset, with its deadline worked out for this case."""

    status: Optional[DeadlineStatus] = Field(default=None, description="期限计算结果（该步骤有期限时）")



class _AboutFact(_Frozen):
    fact: str = Field(description="事实名（或 loss / context / body）")
    label: str = Field(description="中文名称")


class Override(_AboutFact):
    """A fact replaced for a what-if run (``--set``)."""

    was: Any = Field(description="案件文件中的取值（null 为未知）")
    now: Any = Field(description="假设的取值（null 为未知）")


class DecisiveFact(_AboutFact):
    """A known fact whose single change would change the outcome."""

    value: Any = Field(description="现在的取值")
    alternative: Any = Field(description="改变后的取值")
    outcome: OutcomeValue = Field(description="改变后的结果")
    possible_outcomes: list[OutcomeValue] = Field(description="改变后仍待定时可能的结果")
    text: str = Field(description="中文说明，如 若 collective_decision 为 否 → 不予容错")


class Answer(_AboutFact):
    """One answer to a missing fact."""

    value: Any = Field(description="取值")
    value_label: str = Field(description="取值的中文")


class Branch(Answer):
    """What one answer to one missing fact would lead to."""

    outcome: OutcomeValue = Field(description="该答案下的结果")
    possible_outcomes: list[OutcomeValue] = Field(description="仍待定时可能的结果")


class Settlement(_Frozen):
    """The fewest answers that settle the case one way."""

    answers: list[Answer] = Field(description="需要的答案")
    outcome: OutcomeValue = Field(description="由此得到的结果")
    text: str = Field(description="中文说明")


class WhatIf(_Frozen):
    """For an undetermined ruling: where each missing fact leads."""

    branches: list[Branch] = Field(description="每项缺失事实各取值时的结果")
    settle_favourably: Optional[Settlement] = Field(description="最少几项答案即可认定予以容错（取其中最宽的结果）；无法做到为 null")
    settle_unfavourably: Optional[Settlement] = Field(description="最少几项答案即可认定不予容错；无法做到为 null")
    searched: bool = Field(description="是否计算了最少答案（组合过多时不计算）")
    note: Optional[str] = Field(default=None, description="说明")


class MeasureEffect(_Frozen):
    grade: str = Field(description="处分档次")
    text: str = Field(description="影响期")
    cites: Citation = Field(description="依据")


class MeasureAdvice(_Frozen):
    """The measure that follows from the outcome, on a sanction ladder."""

    ladder: Optional[str] = Field(description="处分序列编号（如 party_discipline）；无法确定为 null")
    ladder_label: Optional[str] = Field(description="处分序列名称")
    proposed: Optional[str] = Field(description="案件拟给予的措施")
    range: list[str] = Field(description="应受处分幅度（最轻、最重）")
    suggested: list[str] = Field(description="建议的处分档次（空表示不给予处分）")
    alternatives: list[str] = Field(description="不给予处分时仍可采取的措施")
    text: str = Field(description="中文说明")
    basis: Literal["text", "interpretation"] = Field(description="text=原文规定，interpretation=本工具的解释")
    cites: list[Citation] = Field(description="依据")
    effects: list[MeasureEffect] = Field(description="建议处分的影响期")


class VersionChoice(_Frozen):
    """Which version of a ruleset applies to the case, and why."""

    in_force: str = Field(description="行为发生时有效的版本")
    applied: str = Field(description="实际适用的版本")
    occurred: Optional[dt.date] = Field(description="失误发生日期")
    text: str = Field(description="中文说明")


class Presumption(_AboutFact):
    """A missing exclusion fact presumed absent, to be verified (核实)."""

    value: Any = Field(description="推定的取值（不予容错情形的事实推定为不存在）")
    question: str = Field(description="须核实的问题")


class Presumed(_Frozen):
    """The ruling a handler gets if every listed presumption is confirmed on verification."""

    outcome: OutcomeValue = Field(description="推定结论：各项推定经核实属实时的结果")
    outcome_range: list[OutcomeValue] = Field(description="推定结论的处理幅度（从宽到严）")
    assumptions: list[Presumption] = Field(description="推定（均为缺失事实中不予容错情形的事实，推定为不存在），须逐项核实")
    range_text: str = Field(description="处理幅度的中文说明")
    point_reason: Optional[str] = Field(default=None, description="为何在幅度内建议这一结果")
    reason: str = Field(description="一句话理由")
    matched: list[str] = Field(description="推定下成立的适用情形编号")
    missing_facts: list[str] = Field(description="推定之后仍缺失、须查明的事实（适用条件的事实从不推定）")
    possible_outcomes: list[OutcomeValue] = Field(description="推定之后仍待定时可能的结果")

    @property
    def concludes(self) -> bool:
        """Whether verifying the presumptions would settle the case; if not, the facts to find come first."""
        return self.outcome != "undetermined"


class Ruling(_Frozen):
    """One case under one ruleset. The keys of contract 2 come first."""

    case_id: str = Field(description="案件编号")
    ruleset: str = Field(description="规则集编号")
    outcome: OutcomeValue = Field(description="建议的结果（处理幅度内的一点）：waived=免除，reduced=减轻，lighter=从轻，not_tolerated=不予容错，undetermined=待定")
    matched: list[str] = Field(description="成立的适用情形编号")
    exclusions: list[str] = Field(description="成立的不予容错情形编号")
    missing_facts: list[str] = Field(description="补齐后即可认定的缺失事实")
    trail: list[TrailEntry] = Field(description="审查过程，按评估顺序")
    outcome_range: list[OutcomeValue] = Field(
        description="所适用条款允许的全部结果，从宽到严；outcome 在其中；不予容错时只有 not_tolerated；待定时为 [undetermined]，推定结论见 presumed"
    )
    case_title: str = Field(description="案件标题")
    ruleset_title: str = Field(description="规则集全称")
    source_titles: dict[str, str] = Field(
        default_factory=dict, description="所引种子文件 → 其所载文件的名称（引用时称文件名称而非种子文件名）"
    )
    outcome_label: str = Field(description="结果中文名")
    reason: str = Field(description="一句话理由")
    range_text: str = Field(description="处理幅度的中文说明，如 可以免除，也可以减轻或从轻")
    point_reason: Optional[str] = Field(default=None, description="为何在幅度内建议 outcome 这一点（来自决定处理结果的那一项）")
    presumed: Optional[Presumed] = Field(default=None, description="待定时：不予容错情形的缺失事实推定为不存在、经核实属实时的结论；其余情况为 null")
    eligible: Tri = Field(description="是否符合容错条件（一般条件且至少一项适用情形）")
    possible_outcomes: list[OutcomeValue] = Field(description="在缺失事实取不同值时可能得到的结果")
    questions: list[Question] = Field(description="缺失事实对应的问题")
    result_use: list[Guidance] = Field(description="结果运用")
    next_steps: list[Guidance] = Field(description="下一步程序")
    procedure: list[ProcedureStepStatus] = Field(description="该规则集的容错纠错程序（有期限的步骤附期限计算结果）")
    notice: str = Field(description="本结论的性质")
    overrides: list[Override] = Field(default_factory=list, description="假设推演中替换的事实（--set）")
    decisive_facts: Optional[list[DecisiveFact]] = Field(default=None, description="单独改变即改变结果的已知事实；null 表示未分析")
    what_if: Optional[WhatIf] = Field(default=None, description="待定时各缺失事实的推演；null 表示不适用或未分析")
    measure: Optional[MeasureAdvice] = Field(default=None, description="处理措施建议（案件给出拟给予措施或幅度时）")
    procedure_alerts: list[str] = Field(default_factory=list, description="程序期限提示（如申请逾期）")
    version: Optional[VersionChoice] = Field(default=None, description="规则集版本的选用（规则集有多个版本时）")
    approximate: bool = Field(
        default=False,
        description="未知事实的组合超出穷举上限：可能的结果和缺失事实按三值逻辑保守给出（仍然完整，但可能多列，待定也可能其实已可认定）",
    )

    def as_dict(self) -> dict[str, Any]:
        """契约二的 JSON 对象（只含 dict、list、str、数字、布尔、null）。The contract-2 JSON object, as plain data.

        Every call returns new containers: changing the result never changes another ruling's.
        """
        return _plain_fields(self, _RULING_NESTED)

    def as_json(self) -> str:
        """与 ``rongcuo assess --json`` 逐字节相同的 JSON 文本。The JSON text ``rongcuo assess --json`` prints, byte for byte."""
        return json_document(self.as_dict())



# Fields whose objects the engine shares between rulings: it builds each distinct
# trail entry, question, measure and deadline step once, and guidance and procedure
# steps come from the ruleset. ``as_dict`` dumps each shared object once and copies
# it per ruling; batch records serialise it once (``batch.ruling_bytes``). The rest
# is dumped as Pydantic does. ``test_ruling_dict`` holds the result to ``model_dump``.
SHARED_FIELDS: dict[str, type[BaseModel]] = {
    "trail": TrailEntry, "questions": Question, "result_use": Guidance, "next_steps": Guidance,
    "procedure": ProcedureStepStatus, "measure": MeasureAdvice,
}


def _nested(model: type[BaseModel]) -> tuple[str, ...]:
    """Fields whose values are containers, models or enums: the others are plain as they are."""
    return tuple(key for key, field in model.model_fields.items() if field.annotation not in (str, bool, Optional[str]))


_RULING_NESTED = _nested(Ruling)
_PRESUMED_NESTED = _nested(Presumed)
# Shared too: a presumed ruling's presumptions (one per fact).
_SHARED: tuple[type[BaseModel], ...] = (*dict.fromkeys(SHARED_FIELDS.values()), Presumption)
_plain_shared: IdentityCache[BaseModel, Copier] = IdentityCache(lambda model: fresh_copier(model.model_dump(mode="json")), 1 << 16)


def _plain_fields(model: BaseModel, nested: tuple[str, ...]) -> dict[str, Any]:
    plain = model.__dict__.copy()  # in field order
    for key in nested:
        value = plain[key]
        if value is not None:
            plain[key] = _WHOLE_LIST_FIELDS.get(key, _plain)(value)
    return plain


def _plain_whole_list(value: Any) -> Any:
    """A list of shared parts that recurs whole from ruling to ruling (the guidance and procedure of an outcome),
    copied by one copier kept per list of parts."""
    if type(value) is not list or not value or not isinstance(value[0], _SHARED):
        return _plain(value)
    key = tuple(map(id, value))
    found = _whole_lists.get(key)
    if found is None:  # the parts are kept beside the copier: their ids stay theirs while it is kept
        found = remember(_whole_lists, key, (tuple(value), fresh_copier([part.model_dump(mode="json") for part in value])), 1 << 12)
    return found[1]()


_whole_lists: dict[tuple[int, ...], tuple[tuple[BaseModel, ...], Copier]] = {}
# The trail is not among them: its entries differ from case to case, so the whole list rarely recurs.
_WHOLE_LIST_FIELDS = dict.fromkeys(("questions", "result_use", "next_steps", "procedure"), _plain_whole_list)


def _plain(value: Any) -> Any:
    """A field's value as ``model_dump(mode="json")`` gives it, in new containers."""
    convert = _BY_TYPE.get(type(value))  # the engine's own types, found in one lookup
    if convert is not None:
        return convert(value)
    if isinstance(value, _SHARED):
        return _plain_shared(value)()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    return value


def _plain_list(value: list[Any]) -> list[Any]:
    if not value:
        return []
    first = value[0]  # a field's list holds one type
    if type(first) is str:
        return value.copy()
    if isinstance(first, _SHARED):
        return list(map(call, _plain_shared.many(value)))
    if isinstance(first, BaseModel):
        return [item.model_dump(mode="json") for item in value]
    return fresh_copier(value)()  # no field holds such a list today: copied whole, in case one does


def _plain_dict(value: dict[str, Any]) -> dict[str, Any]:
    if _SCALARS.issuperset(map(type, value.values())):
        return value.copy()
    return fresh_copier(value)()  # type: ignore[no-any-return]


def _same(value: Any) -> Any:
    return value


_SCALARS: frozenset[type] = frozenset((str, bool, int, float, type(None)))
_BY_TYPE: dict[type, Any] = {
    **dict.fromkeys(_SCALARS, _same),
    list: _plain_list,
    dict: _plain_dict,
    Tri: attrgetter("value"),
    Presumed: lambda value: _plain_fields(value, _PRESUMED_NESTED),
    **{kind: lambda value: _plain_shared(value)() for kind in _SHARED},
}
