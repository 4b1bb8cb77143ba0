"""The ruleset file format: a region's rules as reviewable data.

A ruleset has metadata, then four ordered rule lists the engine evaluates in
this order: ``exclusions`` (any that holds settles 不予容错), ``requirements``
(general conditions, all must hold), ``situations`` (at least one must hold),
and ``outcomes`` (the first whose condition holds gives the outcome; the last
must be an unconditional fallback). Each rule quotes the clause it applies.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, Mapping, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from rongcuo_cli.model.condition import Condition

# The dates a case file may give (contract 1, ``dates:``); a deadline counts between two of them.
DateKey = Literal["occurred", "accountability_started", "application_filed", "decided", "feedback_given"]

OutcomeName = Literal["waived", "reduced", "lighter", "not_tolerated"]
# Most lenient first: the order of a lawful range.
OUTCOME_ORDER: tuple[str, ...] = ("waived", "reduced", "lighter", "not_tolerated")
RuleKind = Literal["exclusion", "requirement", "situation", "outcome"]
SECTIONS: dict[str, RuleKind] = {
    "exclusions": "exclusion",
    "requirements": "requirement",
    "situations": "situation",
    "outcomes": "outcome",
}
KIND_LABELS: dict[str, str] = {"exclusion": "不予容错情形", "requirement": "一般条件", "situation": "适用情形", "outcome": "处理结果"}
RULE_ID_PATTERN = r"^[a-z][a-z0-9_]*$"


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Citation(_Frozen):
    """Where a rule comes from: a source file or text, its clause, and its words."""

    # A clause numbered `3` in YAML is the clause "3", not an error.
    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True, defer_build=True)

    source: str = Field(description="来源：种子文件名（如 002_5e8ed9ad8432f6e5.txt）或全国性文件名称")
    clause: str = Field(description="条款编号，按来源自身的编号，如 不予容错的情形 第1项")
    quote: Union[str, list[str]] = Field(
        description="原文引述；版面割裂的条款写成按阅读顺序排列的片段列表，每个片段须在来源中逐字出现"
    )
    paraphrase: bool = Field(default=False, description="为 true 时表示引述为转述（原文措辞未经核实），不得作为原文展示")

    @property
    def quote_text(self) -> str:
        """The quote as a reader sees it: fragments of one sentence cut by the page layout joined
        directly, separate passages joined with "……"."""
        if isinstance(self.quote, str):
            return self.quote
        text = self.quote[0]
        for fragment in self.quote[1:]:
            text += ("……" if text.rstrip()[-1:] in _PASSAGE_ENDS else "") + fragment
        return text

    def where(self, titles: Mapping[str, str]) -> str:
        """《document》clause: a seed file named by the document it holds (``titles``), a national text by its own name."""
        return f"《{titles.get(self.source, self.source)}》{self.clause}"


# A fragment ending in one of these closes a passage; any other was cut mid-sentence by the layout.
_PASSAGE_ENDS = frozenset("。；;！？!?：:”」』）)")


class Rule(_Frozen):
    """One decisive clause: an id, a Chinese title, a condition and a citation."""

    id: str = Field(pattern=RULE_ID_PATTERN, description="规则编号（英文小写加下划线），依来源自身的编号命名")
    title: str = Field(min_length=1, description="规则的中文标题")
    when: Optional[Condition] = Field(default=None, description="成立条件；省略表示无条件成立")
    cites: Citation = Field(description="所依据的条款及原文")
    basis: Literal["text", "interpretation"] = Field(
        default="text", description="text=原文直接规定；interpretation=原文未明确、本工具的解释（须写明 leans_on）"
    )
    leans_on: list[Citation] = Field(default_factory=list, description="解释性规则所依据的其他条款（如全国性规定）")
    note: Optional[str] = Field(default=None, description="说明（为何这样编码）")


class OutcomeRule(Rule):
    """An entry of the ordered outcome mapping: the recommended point and the lawful range around it.

    Why a range: most texts say 可以 (may) and list 免除、减轻、从轻 together, so a
    committee may lawfully choose any of them; the entry's ``outcome`` is the
    point the tool recommends, and ``point_reason`` says why that point.
    """

    outcome: OutcomeName = Field(description="建议的处理结果：waived=免除、reduced=减轻、lighter=从轻、not_tolerated=不予容错")
    range: Optional[list[OutcomeName]] = Field(
        default=None, min_length=1,
        description="条文允许的全部处理结果（从宽到严，如 [waived, reduced, lighter]）；省略表示条文确定唯一结果，即只有 outcome 一项",
    )
    point_reason: Optional[str] = Field(default=None, description="为何在幅度内建议 outcome 这一点（幅度多于一项时须写）")

    @field_validator("range")
    @classmethod
    def _range_holds_point(cls, value: Optional[list[str]], info: ValidationInfo) -> Optional[list[str]]:
        if value is None:
            return value
        if len(set(value)) != len(value) or value != sorted(value, key=OUTCOME_ORDER.index):
            raise _range_error("的各项须从宽到严排列、不重复", "顺序为 waived、reduced、lighter，如 [waived, reduced, lighter]")
        if "not_tolerated" in value and len(value) > 1:
            raise _range_error("把不予容错与容错结果列在同一幅度里", "不予容错的幅度只能是 [not_tolerated]")
        point = info.data.get("outcome")
        if point is not None and point not in value:
            raise _range_error(f"不含建议的结果 {point}", f"outcome 须是幅度中的一项：把 {point} 加进 range，或改 outcome")
        return value

    @property
    def lawful_range(self) -> list[str]:
        return list(self.range) if self.range is not None else [self.outcome]


def _range_error(problem: str, hint: str) -> PydanticCustomError:
    return PydanticCustomError("outcome_range", "处理幅度{problem}", {"problem": problem, "hint": hint})


class Guidance(_Frozen):
    """A sentence of result use or procedure, with its clause."""

    text: str = Field(description="内容")
    cites: Citation = Field(description="依据")


class Deadline(_Frozen):
    """程序期限：从案件的一个日期起算若干工作日，到另一个日期为止（按中国工作日历计算）。"""

    after: DateKey = Field(description="起算日期（案件 dates 中的键），当日不计入")
    working_days: int = Field(ge=1, description="期限（工作日数）：从起算日次日起算，跳过周末和法定节假日，调休上班日计入")
    actual: Optional[DateKey] = Field(default=None, description="实际完成日期（案件 dates 中的键），用于判断是否逾期")


class ProcedureStep(_Frozen):
    id: str = Field(pattern=RULE_ID_PATTERN, description="步骤编号")
    title: str = Field(description="步骤名称，如 启动、调查")
    text: str = Field(description="步骤内容")
    cites: Citation = Field(description="依据")
    deadline: Optional[Deadline] = Field(default=None, description="期限（如有）")


class Ruleset(_Frozen):
    """One region's 容错纠错 rules, as written in its YAML file."""

    id: str = Field(pattern=RULE_ID_PATTERN, description="规则集编号，与文件名一致")
    title: str = Field(description="文件全称")
    short_title: str = Field(description="简称，如 焦作")
    region: str = Field(description="地区")
    issuer: str = Field(description="制定机关（按来源所述）")
    status: str = Field(description="效力状态，如 试行")
    source: list[str] = Field(description="来源文件（种子文件名或全国性文件名称）")
    extends: Optional[str] = Field(default=None, description="继承的规则集编号或相对路径")
    coverage: str = Field(description="编码覆盖说明：来源给了什么、缺了什么、哪些是解释")
    remove: list[str] = Field(default_factory=list, description="不继承的上级规则编号")
    exclusions: list[Rule] = Field(default_factory=list, description="不予容错情形：任一成立即不予容错")
    requirements: list[Rule] = Field(default_factory=list, description="一般条件：须全部成立")
    situations: list[Rule] = Field(default_factory=list, description="适用情形：至少一项成立")
    outcomes: list[OutcomeRule] = Field(default_factory=list, description="处理结果映射：按顺序取第一项成立者；最后一项须无条件")
    result_use: dict[OutcomeName, list[Guidance]] = Field(default_factory=dict, description="结果运用")
    next_steps: dict[Literal["waived", "reduced", "lighter", "not_tolerated", "undetermined"], list[Guidance]] = Field(
        default_factory=dict, description="下一步程序"
    )
    procedure: list[ProcedureStep] = Field(default_factory=list, description="容错纠错程序")
    effective: Optional[dt.date] = Field(default=None, description="本版本的施行日期（有多个版本时必填）")
    versions: list[str] = Field(
        default_factory=list,
        description="同一文件的其他版本（规则集编号或相对于本文件的路径）；按案件 dates.occurred 选用当时有效的版本，新版本更有利时从旧兼从轻",
    )
    lenity: Optional[Citation] = Field(default=None, description="从旧兼从轻所依据的条款")
