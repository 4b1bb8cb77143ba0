"""Versions of a ruleset in time: the text in force when the mistake occurred, or a later, more lenient one.

Why: a 试行 text is often replaced. The case is judged by the version in
force at ``dates.occurred``; where a later version gives a more lenient
outcome for this case, that one applies (从旧兼从轻), and the trail says so.
"""

from __future__ import annotations

from pathlib import Path

from rongcuo_cli.model.case import CaseBase
from rongcuo_cli.model.diagnostics import Diagnostic, UserError
from rongcuo_cli.engine.assess import assess
from rongcuo_cli.load.ruleset_loader import CompiledRuleset, load_referenced, load_ruleset, looks_like_path
from rongcuo_cli.model.ruling import OUTCOME_LABELS, Presumed, Question, Ruling, TrailEntry, VersionChoice, describe_range
from rongcuo_cli.model.ruleset import OUTCOME_ORDER
from rongcuo_cli.model.tristate import Tri
from rongcuo_cli.model.vocabulary import Vocabulary


def assess_in_time(case: CaseBase, ruleset: CompiledRuleset, vocab: Vocabulary) -> tuple[Ruling, CompiledRuleset]:
    """The ruling under the applicable version, and that version."""
    if not ruleset.meta.versions:
        return assess(case, ruleset, vocab), ruleset
    chain, covered = applicable(case, ruleset)
    rulings = [assess(case, version, vocab) for version in chain]
    chosen = pick([r.outcome for r in rulings])
    ruling, applied, in_force = rulings[chosen], chain[chosen], chain[0]
    ruling = _open_lenience(ruling, [r for i, r in enumerate(rulings) if i not in (0, chosen)], applied, vocab)
    occurred = case.dates.occurred
    text = _explain(in_force, applied, rulings[chosen], occurred, covered)
    if ruling.outcome != rulings[chosen].outcome:  # a later version, still 待定, might be more lenient
        text = text.split("；其后")[0] + "；" + ruling.reason.split("；", 1)[1]
    choice = VersionChoice(in_force=in_force.id, applied=applied.id, occurred=occurred, text=text)
    entry = TrailEntry(
        rule=f"version_{applied.id}", kind="version", title=f"适用的规则集版本：{applied.meta.title}", result=Tri.TRUE,
        facts={"occurred": occurred.isoformat() if occurred else None}, cites=ruleset.meta.lenity,  # type: ignore[arg-type]
        basis="text", origin=applied.files[0], note=choice.text,
    )
    return ruling.model_copy(update={"version": choice, "trail": [entry, *ruling.trail]}), applied


def applicable(case: CaseBase, ruleset: CompiledRuleset) -> tuple[list[CompiledRuleset], bool]:
    """The version in force at ``dates.occurred`` first, then every later one; and whether a version was in force."""
    if not ruleset.meta.versions:
        return [ruleset], True
    occurred = case.dates.occurred
    if occurred is None:
        return [ruleset], False
    versions = _versions(ruleset)
    earlier = [v for v in versions if v.meta.effective <= occurred]  # type: ignore[operator]
    in_force = earlier[-1] if earlier else versions[0]
    return versions[versions.index(in_force):], bool(earlier)


def pick(outcomes: list[str]) -> int:
    """Which version applies: the first (in force), unless a later one is determined and more lenient."""
    chosen = 0
    for index, outcome in enumerate(outcomes[1:], 1):
        if _more_lenient(outcome, outcomes[chosen]):
            chosen = index
    return chosen


def _open_lenience(chosen: Ruling, later: list[Ruling], applied: CompiledRuleset, vocab: Vocabulary) -> Ruling:
    """A later version still 待定 that could be more lenient keeps the case open: 从旧兼从轻 needs its answers first."""
    if chosen.outcome == "undetermined":
        return chosen
    open_ = [r for r in later if r.outcome == "undetermined" and any(_more_lenient(o, chosen.outcome) for o in r.possible_outcomes)]
    if not open_:
        return chosen
    possible = {chosen.outcome} | {o for r in open_ for o in r.possible_outcomes if _more_lenient(o, chosen.outcome)}
    missing = vocab.in_order({*chosen.missing_facts, *(name for r in open_ for name in r.missing_facts)})
    versions = "、".join(r.ruleset for r in open_)
    return chosen.model_copy(update={
        "outcome": "undetermined",
        "outcome_range": ["undetermined"],
        "range_text": describe_range(["undetermined"], "undetermined"),
        "point_reason": None,
        "presumed": _presumed_lenience(chosen, [r.presumed for r in open_ if r.presumed is not None]),
        "outcome_label": OUTCOME_LABELS["undetermined"],
        "possible_outcomes": [o for o in OUTCOME_ORDER if o in possible],
        "missing_facts": missing,
        "questions": [Question(fact=name, label=vocab.variable_label(name), question=vocab.question(name)) for name in missing],
        "reason": f"按失误发生时有效的版本为{OUTCOME_LABELS[chosen.outcome]}；其后的版本 {versions} 视缺失事实可能更有利，依从旧兼从轻须先查明",
        "result_use": [],
        "next_steps": list(applied.meta.next_steps.get("undetermined", [])),
    })


def _presumed_lenience(chosen: Ruling, later: list[Presumed]) -> Presumed:
    """从旧兼从轻 over presumed rulings: the in-force version's determined ruling against the later versions' presumed ones."""
    assumptions = list({a.fact: a for p in later for a in p.assumptions}.values())
    open_ = [p for p in later if p.outcome == "undetermined"]
    if open_:
        possible = {chosen.outcome} | {o for p in later for o in (p.possible_outcomes or [p.outcome])}
        missing = list(dict.fromkeys(name for p in open_ for name in p.missing_facts))
        return Presumed(
            outcome="undetermined", outcome_range=["undetermined"], assumptions=assumptions,
            range_text=describe_range(["undetermined"], "undetermined"), reason=open_[0].reason,
            matched=chosen.matched, missing_facts=missing, possible_outcomes=[o for o in OUTCOME_ORDER if o in possible],
        )
    views: list[Ruling | Presumed] = [chosen, *later]
    best = views[pick([v.outcome for v in views])]
    return Presumed(
        outcome=best.outcome, outcome_range=best.outcome_range, assumptions=assumptions, range_text=best.range_text,
        point_reason=best.point_reason, reason=best.reason, matched=best.matched, missing_facts=[], possible_outcomes=[best.outcome],
    )


def _more_lenient(candidate: str, current: str) -> bool:
    if "undetermined" in (candidate, current):
        return False
    return OUTCOME_ORDER.index(candidate) < OUTCOME_ORDER.index(current)


def _explain(in_force: CompiledRuleset, applied: CompiledRuleset, ruling: Ruling, occurred, covered: bool) -> str:
    if occurred is None:
        return f"案件未写明失误发生日期（dates.occurred），按所选版本 {applied.id}（{applied.meta.effective}施行）认定"
    when = f"失误发生于 {occurred.isoformat()}，"
    base = f"当时有效的版本为 {in_force.id}（{in_force.meta.effective}施行）" if covered else f"早于各版本的施行日期，按最早的版本 {in_force.id} 认定"
    if applied is in_force:
        return when + base + "；其后的版本对本案并不更有利，适用该版本"
    return when + base + f"；其后的版本 {applied.id}（{applied.meta.effective}施行）对本案更有利（{OUTCOME_LABELS[ruling.outcome]}），依从旧兼从轻适用新版本"


def all_versions(ruleset: CompiledRuleset) -> list[CompiledRuleset]:
    """The ruleset and every version it lists (loaded, as an assessment would load them)."""
    return _versions(ruleset) if ruleset.meta.versions else [ruleset]


def _versions(ruleset: CompiledRuleset) -> list[CompiledRuleset]:
    """This ruleset and its listed versions, oldest first; each must say when it took effect."""
    here = Path(ruleset.files[0]).parent
    doc = ruleset.sources[-1][0]
    found = [ruleset] + [
        load_referenced(ref, doc, ("versions", index), lambda ref=ref: load_ruleset(str(here / ref) if looks_like_path(ref) else ref))  # type: ignore[misc]
        for index, ref in enumerate(ruleset.meta.versions)
    ]
    problems = [
        Diagnostic(file=v.files[0], code="version-effective", message=f"规则集 `{v.id}` 是多版本规则集的一个版本，但没有写施行日期 effective", hint="写上 effective: YYYY-MM-DD")
        for v in found if v.meta.effective is None
    ]
    if ruleset.meta.lenity is None:
        problems.append(Diagnostic(file=ruleset.files[0], code="version-lenity", message="列出了 versions 却没有写从旧兼从轻的依据 lenity", hint="写上 lenity: {source, clause, quote}"))
    if problems:
        raise UserError(problems)
    return sorted(found, key=lambda v: v.meta.effective)  # type: ignore[arg-type, return-value]
