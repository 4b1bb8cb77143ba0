"""The ruling (contract 2): what the tool recommends for one case, and why."""

from __future__ import annotations

from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

from .ruleset import Citation, Guidance, ProcedureStep, RuleKind
from .tristate import Tri

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
# Most lenient first; used to order possible outcomes for display.
OUTCOME_ORDER = ("waived", "reduced", "lighter", "not_tolerated")


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TrailEntry(_Frozen):
    """One rule checked: its result, the facts it read, and the clause it applies."""

    rule: str = Field(description="规则编号")
    kind: RuleKind = Field(description="exclusion=不予容错情形，requirement=一般条件，situation=适用情形，outcome=处理结果")
    title: str = Field(description="规则标题")
    result: Tri = Field(description="结论：true=是，false=否，unknown=未知")
    facts: dict[str, Any] = Field(description="该规则读取的事实及其取值（null 为未知）")
    cites: Citation = Field(description="所依据的条款及原文")
    basis: Literal["text", "interpretation"] = Field(description="text=原文规定，interpretation=本工具的解释")
    leans_on: list[Citation] = Field(default_factory=list, description="解释所依据的条款")
    origin: str = Field(description="该规则所在的规则集文件")
    note: Optional[str] = Field(default=None, description="说明")
    decided: bool = Field(default=False, description="是否为决定处理结果的那一项")


class Question(_Frozen):
    """A missing fact, asked the way a case handler would answer it."""

    fact: str = Field(description="事实名（或 loss / context / body）")
    label: str = Field(description="中文名称")
    question: str = Field(description="需要查明的问题")


class Ruling(_Frozen):
    """One case under one ruleset. The keys of contract 2 come first."""

    case_id: str
    ruleset: str
    outcome: OutcomeValue = Field(description="waived=免除，reduced=减轻，lighter=从轻，not_tolerated=不予容错，undetermined=待定")
    matched: list[str] = Field(description="成立的适用情形编号")
    exclusions: list[str] = Field(description="成立的不予容错情形编号")
    missing_facts: list[str] = Field(description="补齐后即可认定的缺失事实")
    trail: list[TrailEntry] = Field(description="审查过程，按评估顺序")
    case_title: str = Field(description="案件标题")
    ruleset_title: str = Field(description="规则集全称")
    outcome_label: str = Field(description="结果中文名")
    reason: str = Field(description="一句话理由")
    eligible: Tri = Field(description="是否符合容错条件（一般条件且至少一项适用情形）")
    possible_outcomes: list[OutcomeValue] = Field(description="在缺失事实取不同值时可能得到的结果")
    questions: list[Question] = Field(description="缺失事实对应的问题")
    result_use: list[Guidance] = Field(description="结果运用")
    next_steps: list[Guidance] = Field(description="下一步程序")
    procedure: list[ProcedureStep] = Field(description="该规则集的容错纠错程序")
    notice: str = Field(description="本结论的性质")
