"""Which missing facts a ruling may presume, and how.

Why presume at all: published 容错 notices rarely state that there was no
private gain or no defiance of a ban; the 核实 step confirms it. A ruling that
only says 待定 is of no use to the handler, and one that silently assumes is
unsafe, so the strict outcome stays undetermined and a separate, presumed
ruling lists each presumption to verify.

What may be presumed: a fact whose truth can only bar tolerance. It is read
by some exclusion as a bar (its truth helps the exclusion hold), never by an
exclusion the other way round, and never as something eligibility needs to be
true. Eligibility facts are never presumed; nor are loss, context or body.
"""

from __future__ import annotations

from rongcuo_cli.model.condition import fact_signs
from rongcuo_cli.load.ruleset_loader import CompiledRuleset

# An exclusion fact is presumed absent: no one is presumed to have sought private gain.
PRESUMED_VALUE = False


def presumable_facts(ruleset: CompiledRuleset) -> frozenset[str]:
    conditions = {compiled.rule.id: compiled.rule.when for compiled in ruleset.rules}
    barring: dict[str, set[bool]] = {}
    helping: set[str] = set()
    for compiled in ruleset.section("exclusion"):
        for fact, signs in fact_signs(compiled.rule.when, conditions).items():
            barring.setdefault(fact, set()).update(signs)
    for compiled in ruleset.section("requirement") + ruleset.section("situation"):
        helping.update(fact for fact, signs in fact_signs(compiled.rule.when, conditions).items() if True in signs)
    return frozenset(fact for fact, signs in barring.items() if signs == {True} and fact not in helping)
