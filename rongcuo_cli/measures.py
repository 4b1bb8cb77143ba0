"""Measures (处理措施): the sanction that follows from an outcome, on a ladder.

The ladders, their effect periods and citations are data
(``rulesets/_ladders.yaml``); this module only applies the national meaning
of each outcome: 免除 → no sanction (milder measures may remain), 减轻 → one
grade below the normal range, 从轻 → the lightest grade within it, 不予容错 →
the range itself.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Callable, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

from . import trusted_source, yaml_source
from .case import CaseBase
from .diagnostics import Diagnostic, suggest
from .resources import rulesets_dir
from .ruleset import Citation
from .ruling import OUTCOME_LABELS, MeasureAdvice, MeasureEffect

LADDERS_FILE = "_ladders.yaml"


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Effect(_Frozen):
    """What a grade entails, and for how long."""

    text: str = Field(description="影响期")
    cites: Citation = Field(description="依据")


class Exemption(_Frozen):
    text: str = Field(description="免予处分的说法，如 免予党纪处分")
    alternatives: list[str] = Field(description="免予处分时仍可给予的措施")
    cites: Citation = Field(description="依据")


class Ladder(_Frozen):
    label: str = Field(description="处分序列名称")
    basis: Literal["text", "interpretation"] = Field(default="text", description="档次顺序出自原文或本工具的解释")
    grades: list[str] = Field(min_length=1, description="处分档次，从轻到重")
    aliases: dict[str, str] = Field(default_factory=dict, description="别名 → 档次")
    cites: Citation = Field(description="档次的依据")
    lighter: Citation = Field(description="从轻的依据")
    reduced: Citation = Field(description="减轻的依据")
    not_reducible_alone: list[str] = Field(default_factory=list, description="只有这一个档次时不适用减轻")
    exempt: Exemption = Field(description="免予处分")
    effects: dict[str, Effect] = Field(default_factory=dict, description="档次 → 影响期")

    def grade(self, name: str) -> Optional[str]:
        name = name.strip()
        return name if name in self.grades else self.aliases.get(name)


class FirstForm(_Frozen):
    """监督执纪第一种形态: measures that are not sanctions."""

    label: str = Field(description="名称")
    measures: list[str] = Field(description="措施")
    cites: Citation = Field(description="依据")


class Ladders(_Frozen):
    first_form: FirstForm = Field(description="第一种形态的措施")
    ladders: dict[str, Ladder] = Field(description="处分序列")

    def names(self) -> list[str]:
        return sorted({n for ladder in self.ladders.values() for n in [*ladder.grades, *ladder.aliases]})

    def placing(self, names: list[str]) -> list[str]:
        """Ladders on which every name is a grade."""
        return [key for key, ladder in self.ladders.items() if all(ladder.grade(n) for n in names)]


@lru_cache(maxsize=1)
def load_ladders() -> Ladders:
    resource = rulesets_dir() / LADDERS_FILE
    doc = trusted_source.parse(resource.read_text(encoding="utf-8"), LADDERS_FILE)
    return Ladders.model_validate(doc.data)


def check_range(case: CaseBase, doc: yaml_source.Document) -> list[Diagnostic]:
    """A case's ``measure_range`` must name grades of one ladder, lightest first."""
    names = case.measure_range  # type: ignore[attr-defined]
    if not names:
        return []
    ladders = load_ladders()
    problems = [
        doc.diagnostic(("measure_range", i), "unknown-measure", f"未知的处分档次 `{name}`",
                       suggest(name, ladders.names()) or "允许：" + "、".join(ladders.names()))
        for i, name in enumerate(names) if not ladders.placing([name])
    ]
    if problems:
        return problems
    placed = ladders.placing(names)
    if not placed:
        return [doc.diagnostic(("measure_range",), "mixed-measures", f"`{'、'.join(names)}` 不属于同一处分序列", "幅度的两端须同为党纪处分、政务处分或问责方式")]
    if len(placed) > 1:
        labels = "、".join(ladders.ladders[k].label for k in placed)
        return [doc.diagnostic(("measure_range",), "ambiguous-measure", f"`{'、'.join(names)}` 同属{labels}", "写明 党内警告 或 政务警告")]
    ladder = ladders.ladders[placed[0]]
    low, high = (ladder.grades.index(ladder.grade(n)) for n in (names[0], names[-1]))  # type: ignore[arg-type]
    if low > high:
        return [doc.diagnostic(("measure_range",), "measure-order", f"幅度 `{names[0]}` 重于 `{names[-1]}`", "先写最轻的档次，再写最重的档次")]
    return []


def advise_measure(case: CaseBase, outcome: str) -> Optional[MeasureAdvice]:
    """The measure following from ``outcome``; None when the case names no measure."""
    proposed = case.proposed_measure
    given = list(case.measure_range or ([proposed] if proposed else []))  # type: ignore[attr-defined]
    if not given:
        return None
    ladders = load_ladders()
    placed = ladders.placing(given)
    if not placed and proposed in ladders.first_form.measures:
        return _first_form(ladders.first_form, proposed, outcome)
    if len(placed) != 1:
        why = (f"`{'、'.join(given)}` 同属" + "、".join(ladders.ladders[k].label for k in placed) + "，请写明 党内警告 或 政务警告，或在 measure_range 中写明幅度"
               if placed else f"拟给予的措施 `{proposed}` 不在党纪处分、政务处分或问责方式的档次中，无法推算调整后的措施")
        return MeasureAdvice(ladder=None, ladder_label=None, proposed=proposed, range=given, suggested=[], alternatives=[],
                             text=why, basis="text", cites=[], effects=[])
    key = placed[0]
    ladder = ladders.ladders[key]
    low, high = (ladder.grades.index(ladder.grade(n)) for n in (given[0], given[-1]))  # type: ignore[arg-type]
    suggested, alternatives, text, cites, basis = _ADJUST[outcome](ladder, low, high)
    span = ladder.grades[low] if low == high else f"{ladder.grades[low]}至{ladder.grades[high]}"
    return MeasureAdvice(
        ladder=key, ladder_label=ladder.label, proposed=proposed, range=[ladder.grades[low], ladder.grades[high]],
        suggested=suggested, alternatives=alternatives,
        text=f"{OUTCOME_LABELS[outcome]}：应受{ladder.label}幅度为{span}；{text}",
        basis="interpretation" if ladder.basis == "interpretation" else basis,
        cites=[ladder.cites, *cites],
        effects=[MeasureEffect(grade=g, text=ladder.effects[g].text, cites=ladder.effects[g].cites) for g in suggested if g in ladder.effects],
    )


def _first_form(form: FirstForm, proposed: str, outcome: str) -> MeasureAdvice:
    """A 第一种形态 measure is not a sanction: there is no grade to move; 免除 may drop it."""
    waived = outcome == "waived"
    pending = outcome == "undetermined"
    if waived:
        text = f"免除：拟给予的{proposed}属{form.label}，不是处分；可以不再给予，也可以作为教育提醒给予"
    elif pending:
        text = f"结果待定，措施待认定后确定（拟给予的{proposed}属{form.label}，不是处分）"
    else:
        text = f"{OUTCOME_LABELS[outcome]}：拟给予的{proposed}属{form.label}，不是处分，没有档次可以调整，维持{proposed}"
    return MeasureAdvice(
        ladder="first_form", ladder_label=form.label, proposed=proposed, range=[proposed],
        suggested=[] if waived or pending else [proposed], alternatives=[proposed] if waived else [],
        text=text, basis="interpretation", cites=[form.cites], effects=[],
    )


Adjustment = tuple[list[str], list[str], str, list[Citation], Literal["text", "interpretation"]]


def _waived(ladder: Ladder, low: int, high: int) -> Adjustment:
    alternatives = ladder.exempt.alternatives
    return [], alternatives, f"{ladder.exempt.text}；可以给予{'、'.join(alternatives)}", [ladder.exempt.cites], "text"


def _reduced(ladder: Ladder, low: int, high: int) -> Adjustment:
    grade = ladder.grades[low]
    if low == high and grade in ladder.not_reducible_alone:
        return [grade], [], f"只有{grade}一个档次，不适用减轻，仍为{grade}", [ladder.reduced], "text"
    if low == 0:
        alternatives = ladder.exempt.alternatives
        return ([], alternatives, f"幅度最轻一档已是{grade}，减轻一档即{ladder.exempt.text}；可以给予{'、'.join(alternatives)}",
                [ladder.reduced, ladder.exempt.cites], "interpretation")
    below = ladder.grades[low - 1]
    return [below], [], f"在幅度以外减轻一档，给予{below}", [ladder.reduced], "text"


def _lighter(ladder: Ladder, low: int, high: int) -> Adjustment:
    grade = ladder.grades[low]
    return [grade], [], f"在幅度以内给予最轻的{grade}", [ladder.lighter], "text"


def _not_tolerated(ladder: Ladder, low: int, high: int) -> Adjustment:
    grades = ladder.grades[low: high + 1]
    return grades, [], f"不予容错，在应受处分幅度内（{'、'.join(grades)}）依规依纪依法处理", [], "text"


def _undetermined(ladder: Ladder, low: int, high: int) -> Adjustment:
    return [], [], "结果待定，措施待认定后确定", [], "text"


_ADJUST: dict[str, Callable[[Ladder, int, int], Adjustment]] = {
    "waived": _waived,
    "reduced": _reduced,
    "lighter": _lighter,
    "not_tolerated": _not_tolerated,
    "undetermined": _undetermined,
}
