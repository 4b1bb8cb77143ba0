"""The four real decided cases in the seeds: the tool agrees with the real decision.

Each sample states only what its seed states. All four come out undetermined,
because every seed is silent on the exclusion facts (private gain, knowing
violation, …); the test pins that the missing facts are exactly those the seed
does not mention, that the real decision is among the possible outcomes, that
answering the silent facts "no" gives the real decision, and that the presumed
ruling (those exclusion facts presumed absent, to be verified) already gives it.

Why ``violates_prohibition`` is no longer among them: it was the national
baseline's blanket red-line exclusion, which read the law too strictly
(national-norms.md, last section); the baseline now excludes political
discipline, serious integrity breaches and corruption instead.
"""

from __future__ import annotations

import pytest

from rongcuo_cli.load.case_file import load_case
from rongcuo_cli.engine.assess import assess
from rongcuo_cli.load.ruleset_loader import load_ruleset
from rongcuo_cli.load.vocabulary import load_vocabulary

from .conftest import SAMPLES

EXCLUSION_FACTS = ["private_gain", "knowingly_violated", "defied_explicit_ban", "political_discipline_violation", "serious_integrity_violation", "corruption"]
LIWAN_EXCLUSION_FACTS = EXCLUSION_FACTS

# (sample, facts the seed is silent on and that matter, rule that then decides)
REAL_CASES = [
    ("zhejiang/real_zhuji_guo", EXCLUSION_FACTS, "outcome_waived_hard_post"),
    ("zhejiang/real_yiwu_wang", EXCLUSION_FACTS, "outcome_waived_pilot_target_missed"),
    # the seed says no private gain was found
    ("liwan/real_compensation_area", [f for f in LIWAN_EXCLUSION_FACTS if f != "private_gain"], "outcome_waived_collective_diligent"),
    ("liwan/real_economic_cooperative", LIWAN_EXCLUSION_FACTS, "outcome_waived_objective_cooperated"),
]


def _assess(case, ruleset):
    return assess(case, load_ruleset(ruleset), load_vocabulary())


@pytest.mark.parametrize("sample, silent, decider", REAL_CASES, ids=[c[0] for c in REAL_CASES])
def test_real_case_missing_facts_are_what_the_seed_is_silent_on(sample, silent, decider):
    ruleset = sample.split("/")[0]
    case = load_case(SAMPLES / f"{sample}.yaml")
    ruling = _assess(case, ruleset)
    assert ruling.outcome == "undetermined"
    assert sorted(ruling.missing_facts) == sorted(silent)
    assert not set(silent) & set(case.fact_values), "a missing fact must be one the sample leaves unknown"
    assert case.decision in ruling.possible_outcomes


@pytest.mark.parametrize("sample, silent, decider", REAL_CASES, ids=[c[0] for c in REAL_CASES])
def test_real_case_answered_gives_the_real_decision(sample, silent, decider):
    ruleset = sample.split("/")[0]
    case = load_case(SAMPLES / f"{sample}.yaml")
    facts = case.facts.model_copy(update=dict.fromkeys(silent, False))
    ruling = _assess(case.model_copy(update={"facts": facts}), ruleset)
    assert ruling.outcome == case.decision == "waived"
    assert [e.rule for e in ruling.trail if e.decided] == [decider]


@pytest.mark.parametrize("sample, silent, decider", REAL_CASES, ids=[c[0] for c in REAL_CASES])
def test_real_case_presumed_ruling_is_the_real_decision(sample, silent, decider):
    """What the committee decided is what the tool presumes, each presumption listed for 核实."""
    ruleset = sample.split("/")[0]
    ruling = _assess(load_case(SAMPLES / f"{sample}.yaml"), ruleset)
    assert ruling.presumed is not None
    assert ruling.presumed.outcome == "waived"
    assert "waived" in ruling.presumed.outcome_range
    assert sorted(a.fact for a in ruling.presumed.assumptions) == sorted(silent)
    assert all(a.value is False and a.question for a in ruling.presumed.assumptions)
    assert set(a.fact for a in ruling.presumed.assumptions) <= set(ruling.missing_facts)
