"""Engine behaviour a handler relies on: precedence, unknowns, completeness."""

from __future__ import annotations

import itertools
import textwrap
from pathlib import Path

import pytest

from rongcuo_cli.load.case_file import case_model
from rongcuo_cli.load.case_file import load_case
from rongcuo_cli.engine.assess import assess
from rongcuo_cli.load.ruleset_loader import load_ruleset
from rongcuo_cli.load.vocabulary import load_vocabulary

from .conftest import SAMPLES

VOCAB = load_vocabulary()


def make_case(**fields):
    data = {"case_id": "T-1", "title": "测试案件", "subject": {"kind": "individual"}}
    data.update(fields)
    return case_model().model_validate(data)


def write_ruleset(tmp_path: Path, body: str, name: str = "mini") -> str:
    path = tmp_path / f"{name}.yaml"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return str(path)


MINI_HEADER = """\
id: {id}
title: 测试规则集
short_title: 测试
region: 测试地区
issuer: 测试
status: 试行
source: [test.txt]
coverage: 测试用
"""


def test_exclusion_settles_not_tolerated_even_with_unknowns():
    ruling = assess(make_case(facts={"repeated": True}), load_ruleset("jiaozuo"), VOCAB)
    assert ruling.outcome == "not_tolerated"
    assert ruling.exclusions == ["exclusion_4_repeated"]
    assert ruling.missing_facts == []


def test_nothing_known_is_undetermined_with_questions():
    ruling = assess(make_case(), load_ruleset("jiaozuo"), VOCAB)
    assert ruling.outcome == "undetermined"
    assert "private_gain" in ruling.missing_facts
    assert {q.fact for q in ruling.questions} == set(ruling.missing_facts)
    assert all(q.question.endswith("？") for q in ruling.questions)


def test_unknown_fact_is_not_read_as_false():
    # Only force_majeure/unforeseeable are missing: read as false, the case would be "reduced".
    case = load_case(SAMPLES / "jiaozuo" / "reduced_industrial_project.yaml")
    data = case.model_dump()
    for fact in ("force_majeure", "unforeseeable"):
        data["facts"].pop(fact)
    ruling = assess(case_model().model_validate(data), load_ruleset("jiaozuo"), VOCAB)
    assert ruling.outcome == "undetermined"
    assert ruling.missing_facts == ["force_majeure", "unforeseeable"]
    assert ruling.possible_outcomes == ["waived", "reduced"]


def _fill(case, assignment: dict):
    data = case.model_dump()
    for name, value in assignment.items():
        if name in ("loss", "context"):
            data[name] = value
        else:
            data["facts"][name] = value
    return case_model().model_validate(data)


def _domain(name):
    if name == "loss":
        return list(VOCAB.loss.levels)
    if name == "context":
        return [[], ["historical_issue"], ["reform_pilot"], ["decision_implementation", "major_project"]]
    return [True, False]


def test_missing_facts_are_complete_for_the_undetermined_sample():
    case = load_case(SAMPLES / "jiaozuo" / "undetermined_historical_issue.yaml")
    ruleset = load_ruleset("jiaozuo")
    ruling = assess(case, ruleset, VOCAB)
    names = ruling.missing_facts
    seen = set()
    for values in itertools.product(*(_domain(n) for n in names)):
        filled = assess(_fill(case, dict(zip(names, values))), ruleset, VOCAB)
        assert filled.outcome != "undetermined", dict(zip(names, values))
        seen.add(filled.outcome)
    assert seen == set(ruling.possible_outcomes)


def test_undetermined_only_when_the_unknown_matters(tmp_path):
    # Kleene alone says unknown for "x or not x"; the engine explores and sees it is settled.
    path = write_ruleset(tmp_path, MINI_HEADER.format(id="mini") + """\
exclusions:
  - id: tautology
    title: 恒真
    when: {any: [repeated, {not: repeated}]}
    cites: {source: test.txt, clause: 1, quote: 测试}
outcomes:
  - id: fallback
    outcome: waived
    title: 兜底
    cites: {source: test.txt, clause: 2, quote: 测试}
""")
    ruling = assess(make_case(), load_ruleset(path), VOCAB)
    assert ruling.outcome == "not_tolerated"
    assert ruling.missing_facts == []


def test_context_given_is_complete_and_omitted_is_unknown():
    ruleset = load_ruleset("jiaozuo")
    base = {"loss": "minor", "facts": {"private_gain": False, "collective_decision": True, "actively_remedied": True,
                                       "knowingly_violated": False, "defied_explicit_ban": False, "violates_prohibition": False,
                                       "major_incident": False, "major_social_impact": False, "ignored_warning": False,
                                       "repeated": False, "major_reform_project": False, "special_measure": False,
                                       "force_majeure": False, "policy_change": False, "unforeseeable": False,
                                       "public_interest": True, "target_missed": False, "diligent": True,
                                       "reported_afterwards": False}}
    given = assess(make_case(context=["historical_issue"], **base), ruleset, VOCAB)
    assert given.outcome == "waived"
    none_fit = assess(make_case(context=["business_environment"], **base), ruleset, VOCAB)
    assert none_fit.outcome == "not_tolerated"
    assert none_fit.reason == "不符合容错的一般条件：须属于情形（一）改革创新、（二）推动发展、（三）非人为因素之一"
    omitted = assess(make_case(**base), ruleset, VOCAB)
    assert omitted.outcome == "undetermined"
    assert omitted.missing_facts == ["context"]


def test_same_input_same_json():
    from rongcuo_cli.cli.output import to_json
    path = SAMPLES / "jiaozuo" / "undetermined_historical_issue.yaml"
    first = to_json(assess(load_case(path), load_ruleset("jiaozuo"), VOCAB))
    second = to_json(assess(load_case(path), load_ruleset("jiaozuo"), VOCAB))
    assert first == second


@pytest.mark.parametrize("kind", ["exclusion", "requirement", "situation", "outcome"])
def test_trail_lists_every_rule_with_citation(kind):
    ruling = assess(make_case(), load_ruleset("jiaozuo"), VOCAB)
    entries = [e for e in ruling.trail if e.kind == kind]
    assert entries
    for entry in entries:
        assert entry.cites.source and entry.cites.clause and entry.cites.quote_text
        if entry.basis == "interpretation":
            assert entry.note or entry.leans_on
