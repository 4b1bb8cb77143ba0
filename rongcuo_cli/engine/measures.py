"""Measures (处理措施): the sanction that follows from an outcome, on a ladder.

The ladders, their effect periods and citations are data
(``rulesets/_ladders.yaml``); this module only applies the national meaning
of each outcome: 免除 → no sanction (milder measures may remain), 减轻 → one
grade below the normal range, 从轻 → the lightest grade within it, 不予容错 →
the range itself.
"""

from __future__ import annotations

from typing import Callable, Literal, Optional

from rongcuo_cli.load.ladders import load_ladders
from rongcuo_cli.model.identity_cache import remember
from rongcuo_cli.model.case import CaseBase
from rongcuo_cli.model.ladders import FirstForm, Ladder
from rongcuo_cli.model.ruleset import Citation
from rongcuo_cli.model.ruling import OUTCOME_LABELS, MeasureAdvice, MeasureEffect


def advise_measure(case: CaseBase, outcome: str) -> Optional[MeasureAdvice]:
    """The measure following from ``outcome``; None when the case names no measure."""
    proposed = case.proposed_measure
    given = tuple(case.measure_range or ([proposed] if proposed else []))
    if not given:
        return None
    # The advice depends on these three only, and a batch repeats a few measures: work each out once.
    key = (proposed, given, outcome)
    advice = _advised.get(key)
    if advice is None:
        advice = remember(_advised, key, _advise(proposed, list(given), outcome), 4096)
    return advice


_advised: dict[tuple[Optional[str], tuple[str, ...], str], Optional[MeasureAdvice]] = {}


def _advise(proposed: Optional[str], given: list[str], outcome: str) -> Optional[MeasureAdvice]:
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
    low, high = ladder.span(given[0], given[-1])
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
