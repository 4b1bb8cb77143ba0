"""The case file (contract 1): one case's facts, as a Pydantic model.

The fact names, loss levels, context tags and body kinds come from the shared
vocabulary, so the model is built from it once; nothing here names a fact.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any, Literal, Optional, Protocol, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, create_model, field_validator
from pydantic_core import PydanticCustomError

from rongcuo_cli.model.diagnostics import shorten
from rongcuo_cli.model.vocabulary import FACT_WORDS, Vocabulary

OUTCOMES = ("waived", "reduced", "lighter", "not_tolerated")


class Dates(BaseModel):
    """Dates of the case, as ISO dates (YYYY-MM-DD)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, defer_build=True)

    occurred: Optional[dt.date] = Field(default=None, description="失误发生日期")
    accountability_started: Optional[dt.date] = Field(default=None, description="启动问责程序日期")
    application_filed: Optional[dt.date] = Field(default=None, description="提出书面容错申请日期")
    decided: Optional[dt.date] = Field(default=None, description="作出容错认定的日期")
    feedback_given: Optional[dt.date] = Field(default=None, description="向申请人反馈认定结果的日期")


class Subject(Protocol):
    """The subject as code reads it (its model is built from the vocabulary)."""

    kind: str
    name: Optional[str]
    position: Optional[str]
    body: Optional[str]


class CaseBase(BaseModel):
    """Fields shared by every case; the vocabulary-dependent ones are added on top."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    if TYPE_CHECKING:
        # Why only for the type checker: these fields' allowed values come from the
        # vocabulary, so ``build_case_model`` creates them; declared here, code that
        # reads a case is checked without ``type: ignore``.
        subject: Subject
        context: Optional[list[str]]
        loss: Optional[str]
        facts: BaseModel

    case_id: str = Field(min_length=1, description="案件编号，批量处理时须唯一")
    title: str = Field(min_length=1, description="案件标题")
    region: Optional[str] = Field(default=None, description="地区（仅供参考）")
    summary: Optional[str] = Field(default=None, description="案情简述")
    dates: Dates = Field(default_factory=Dates, description="相关日期")
    proposed_measure: Optional[str] = Field(default=None, description="拟给予的问责或处分措施")
    measure_range: Optional[list[str]] = Field(
        default=None, min_length=1, max_length=2,
        description="应受处分幅度：[最轻, 最重] 或只写一个档次，如 [警告, 严重警告]（档次见 rulesets/_ladders.yaml）",
    )
    evidence: list[str] = Field(default_factory=list, description="证据材料清单")
    decision: Optional[Literal[OUTCOMES]] = Field(  # type: ignore[valid-type]
        default=None, description="实际作出的认定结果（如有），用于一致性核对"
    )

    @field_validator("case_id", "title")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("不能为空白")
        return value.strip()

    @property
    def fact_values(self) -> dict[str, bool]:
        """The facts the case states; absent facts are unknown and not listed."""
        # The facts model forbids extra keys, so its ``__dict__`` holds exactly its fields (a dump costs 10x).
        return {name: value for name, value in self.facts.__dict__.items() if value is not None}


def _literal(values: list[str]) -> Any:
    return Literal[tuple(values)]  # type: ignore[valid-type]


def _fact_word(value: Any) -> Any:
    # 是/否/不清楚 become true/false/unknown; anything else is left for StrictBool to judge (and explain).
    return FACT_WORDS.get(value, value) if isinstance(value, str) else value


# A fact: true/false, or 是/否/不清楚 (the JSON Schema offers both).
FactValue = Annotated[
    Optional[StrictBool],
    BeforeValidator(_fact_word, json_schema_input_type=Union[StrictBool, _literal(list(FACT_WORDS)), None]),
]


WRITTEN_CHOICES = "可写英文编号、中文名称或其简称（见 rulesets/_vocabulary.yaml，或运行 rongcuo facts --ruleset 规则集）"


def _choice(vocab: Vocabulary, name: str) -> Any:
    """A loss level, context tag or body kind, written as its id, Chinese label or an alias; kept as the id.

    Why at validation: every way in (round-trip loader, libyaml fast path, the
    API's dict, ``--set``) validates through this model, so a ruling and its
    JSON only ever see the English ids, whatever the file wrote.
    """
    spellings = vocab.spellings(name)

    def to_id(value: Any) -> Any:
        if not isinstance(value, str):
            return value  # the Literal reports a number or a list in the usual words
        if value in spellings:
            return spellings[value]
        raise PydanticCustomError(
            "vocabulary_choice", "的值 `{value}` 不在允许范围内；允许：{allowed}",
            {"value": shorten(value), "allowed": vocab.allowed_text(name), "hint": vocab.choice_hint(name, value) or WRITTEN_CHOICES},
        )

    ids = list(vocab.choice_labels(name))
    return Annotated[_literal(ids), BeforeValidator(to_id, json_schema_input_type=_literal(list(spellings)))]


def build_case_model(vocab: Vocabulary) -> type[CaseBase]:
    facts_fields: dict[str, Any] = {
        name: (FactValue, Field(default=None, description=f"{term.label}。{term.question}"))
        for name, term in vocab.facts.items()
    }
    facts = create_model(
        "Facts",
        __config__=ConfigDict(extra="forbid", frozen=True, defer_build=True),
        __doc__="事实（true/false 或 是/否/不清楚）；未写出的事实视为未知，绝不视为否",
        **facts_fields,
    )
    body_values = "、".join(f"{k}={v}" for k, v in vocab.body.values.items())
    subject = create_model(
        "Subject",
        __config__=ConfigDict(extra="forbid", frozen=True, defer_build=True),
        __doc__="被问责的个人或单位",
        kind=(Literal["individual", "unit"], Field(description="individual=个人，unit=单位")),
        name=(Optional[str], Field(default=None, description="姓名或单位名称（可匿名）")),
        position=(Optional[str], Field(default=None, description="职务")),
        body=(Optional[_choice(vocab, "body")], Field(default=None, description=f"主体类型：{body_values}")),
    )
    levels = "、".join(f"{k}={v}" for k, v in vocab.loss.levels.items())
    return create_model(
        "Case",
        __base__=CaseBase,
        __doc__="一个容错纠错案件（案件文件，契约一）",
        subject=(subject, Field(description="当事主体")),
        context=(
            Optional[list[_choice(vocab, "context")]],
            Field(default=None, description="工作情境标签；写出即视为完整，省略视为未知"),
        ),
        loss=(Optional[_choice(vocab, "loss")], Field(default=None, description=f"损失程度：{levels}；省略视为未知")),
        facts=(facts, Field(default_factory=facts, description="事实；未写出的视为未知")),
    )
