"""One case under several rulesets: the rulings side by side, and the facts they disagree on.

A fact's *role* in a ruling says how it weighed: ``against`` when an exclusion
that held or a general condition that failed read it, ``for`` when a matched
situation or the deciding outcome entry read it, ``missing`` when its answer
would settle an undetermined ruling, ``unused`` otherwise. The rulesets
disagree on a fact when its roles differ.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from rongcuo_cli.model.case import CaseBase
from rongcuo_cli.engine.advice import advise
from rongcuo_cli.load.ruleset_loader import CompiledRuleset
from rongcuo_cli.model.ruling import Ruling, TrailEntry
from rongcuo_cli.model.tristate import Tri
from rongcuo_cli.model.vocabulary import Vocabulary

FactRole = Literal["against", "for", "missing", "unused"]
ROLE_LABELS: dict[str, str] = {
    "against": "不利",
    "for": "有利",
    "missing": "缺失",
    "unused": "未起作用",
}
# Strongest first: a fact that both excluded and matched weighed against.
_ROLE_RANK = ("against", "for", "missing")


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class FactDisagreement(_Frozen):
    """A fact whose role differs between rulesets."""

    fact: str = Field(description="事实名（或 loss / context / body）")
    label: str = Field(description="中文名称")
    roles: dict[str, FactRole] = Field(description="规则集编号 → 该事实在认定中的作用")


class Comparison(_Frozen):
    """The rulings of one case under several rulesets and where they part."""

    case_id: str = Field(description="案件编号")
    case_title: str = Field(description="案件标题")
    short_titles: dict[str, str] = Field(description="规则集编号 → 简称")
    rulings: list[Ruling] = Field(description="各规则集的认定结果，按给出的顺序")
    disagreements: list[FactDisagreement] = Field(description="各规则集作用不同的事实")


def _settling_outcome(ruling: Ruling) -> str | None:
    """The outcome entry that decides, or would decide once eligibility is settled.

    Why not only ``decided``: an undetermined ruling has none, yet the entry that
    holds after only failing ones already says what the outcome would be.
    """
    for entry in ruling.trail:
        if entry.kind == "outcome" and entry.result is not Tri.FALSE:
            return entry.rule if entry.result is Tri.TRUE else None
    return None


def _weighs(entry: TrailEntry, settling: str | None) -> str | None:
    """The role of the facts an entry read, if the entry weighed in the ruling."""
    if entry.kind == "exclusion" and entry.result is Tri.TRUE:
        return "against"
    if entry.kind == "requirement" and entry.result is Tri.FALSE:
        return "against"
    if (entry.kind == "situation" and entry.result is Tri.TRUE) or entry.decided or entry.rule == settling:
        return "for"
    return None


def fact_roles(ruling: Ruling) -> dict[str, FactRole]:
    """Every fact the ruling read or misses, with its role."""
    found: dict[str, set[str]] = {}
    settling = _settling_outcome(ruling) if ruling.outcome != "not_tolerated" else None
    for entry in ruling.trail:
        role = _weighs(entry, settling)
        for name, value in entry.facts.items():
            # An unknown value cannot have weighed, whatever the entry concluded.
            found.setdefault(name, set()).update([role] if role and value is not None else [])
    for name in ruling.missing_facts:
        found.setdefault(name, set()).add("missing")
    return {name: next((r for r in _ROLE_RANK if r in roles), "unused") for name, roles in found.items()}  # type: ignore[misc]


def disagreements(rulings: list[Ruling], vocab: Vocabulary) -> list[FactDisagreement]:
    """Facts whose roles are not the same under every ruling, in vocabulary order."""
    roles = [fact_roles(r) for r in rulings]
    names = {name for per_ruling in roles for name in per_ruling}
    found = []
    for name in vocab.in_order(names):
        by_ruleset = {r.ruleset: per.get(name, "unused") for r, per in zip(rulings, roles)}
        if len(set(by_ruleset.values())) > 1:
            found.append(FactDisagreement(fact=name, label=vocab.variable_label(name), roles=by_ruleset))
    return found


def compare(case: CaseBase, rulesets: list[CompiledRuleset], vocab: Vocabulary) -> Comparison:
    # No decisive-fact analysis: it multiplies the cost by the number of rulesets; `assess` gives it per ruleset.
    rulings = [advise(case, ruleset, vocab, analyse=False) for ruleset in rulesets]
    return Comparison(
        case_id=case.case_id,
        case_title=case.title,
        short_titles={r.id: r.meta.short_title for r in rulesets},
        rulings=rulings,
        disagreements=disagreements(rulings, vocab),
    )
