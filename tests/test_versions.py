"""Versions in time: the text in force at dates.occurred, or a later one where it is more lenient."""

from __future__ import annotations

import pytest

from rongcuo_cli.engine.advice import advise
from rongcuo_cli.load.case_file import load_case
from rongcuo_cli.model.diagnostics import UserError
from rongcuo_cli.load.ruleset_loader import load_ruleset
from rongcuo_cli.load.vocabulary import load_vocabulary

from .conftest import ROOT

VERSIONS = ROOT / "tests" / "fixtures" / "versions"


def _ruling(tmp_path, occurred: str, **facts: bool):
    lines = "".join(f"  {name}: {str(value).lower()}\n" for name, value in facts.items())
    case = tmp_path / "case.yaml"
    case.write_text(f"case_id: V-1\ntitle: 版本测试\nsubject: {{kind: individual}}\ndates: {{occurred: {occurred}}}\nfacts:\n  private_gain: false\n{lines}", encoding="utf-8")
    return advise(load_case(case), load_ruleset(str(VERSIONS / "demo_2021.yaml")), load_vocabulary())


def test_later_more_lenient_version_applies_and_the_trail_says_so(tmp_path):
    ruling = _ruling(tmp_path, "2019-05-01", collective_decision=True, actively_remedied=True, repeated=False)
    assert ruling.outcome == "waived"  # the 2017 text alone gives 从轻
    assert (ruling.version.in_force, ruling.version.applied) == ("demo_2017", "demo_2021")
    first = ruling.trail[0]
    assert first.kind == "version" and first.rule == "version_demo_2021"
    assert "从旧兼从轻" in first.note and "2019-05-01" in first.note
    assert first.cites.paraphrase is True


def test_new_text_can_turn_not_tolerated_into_tolerated(tmp_path):
    ruling = _ruling(tmp_path, "2019-05-01", collective_decision=False, actively_remedied=False, repeated=False)
    assert ruling.outcome == "lighter" and ruling.ruleset == "demo_2021"


def test_stricter_later_version_does_not_reach_back(tmp_path):
    ruling = _ruling(tmp_path, "2019-05-01", collective_decision=True, actively_remedied=True, repeated=True)
    assert ruling.outcome == "lighter"  # 2021 would exclude a repeated mistake
    assert (ruling.version.in_force, ruling.version.applied) == ("demo_2017", "demo_2017")
    assert "并不更有利" in ruling.trail[0].note


def test_old_version_never_applies_to_a_later_act(tmp_path):
    ruling = _ruling(tmp_path, "2022-01-10", collective_decision=True, actively_remedied=True, repeated=True)
    assert ruling.outcome == "not_tolerated"
    assert (ruling.version.in_force, ruling.version.applied) == ("demo_2021", "demo_2021")


def test_unversioned_ruleset_has_no_version_entry(tmp_path):
    ruling = advise(load_case(ROOT / "samples" / "jiaozuo" / "waived_flood_emergency.yaml"), load_ruleset("jiaozuo"), load_vocabulary())
    assert ruling.version is None and all(e.kind != "version" for e in ruling.trail)


def test_a_version_without_effective_date_is_an_error(tmp_path):
    old = (VERSIONS / "demo_2017.yaml").read_text(encoding="utf-8").replace("effective: 2017-03-01\n", "")
    (tmp_path / "demo_2017.yaml").write_text(old, encoding="utf-8")
    (tmp_path / "demo_2021.yaml").write_text((VERSIONS / "demo_2021.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    case = load_case(ROOT / "samples" / "jiaozuo" / "waived_flood_emergency.yaml")
    with pytest.raises(UserError, match="没有写施行日期 effective"):
        advise(case, load_ruleset(str(tmp_path / "demo_2021.yaml")), load_vocabulary())


def test_decisive_facts_follow_the_version_that_would_apply(tmp_path):
    ruling = _ruling(tmp_path, "2019-05-01", collective_decision=True, actively_remedied=True, repeated=False)
    texts = [d.text for d in ruling.decisive_facts]
    # Under 2021 alone a repeated mistake is excluded; the 2017 text then applies and gives 从轻.
    assert "若 repeated 为 是 → 从轻" in texts
    assert "若 private_gain 为 是 → 不予容错" in texts
    assert not any(d.fact == "collective_decision" for d in ruling.decisive_facts)


def test_a_later_version_still_open_keeps_the_case_open(tmp_path):
    # 2017 text: 从轻. 2021 text: 免除 if actively remedied, which the case does not say: 从旧兼从轻 needs that answer first.
    ruling = _ruling(tmp_path, "2019-05-01", collective_decision=True, repeated=False)
    assert ruling.outcome == "undetermined"
    assert ruling.possible_outcomes == ["waived", "lighter"]
    assert ruling.missing_facts == ["actively_remedied"]
    assert "demo_2021" in ruling.reason and "从旧兼从轻" in ruling.trail[0].note
    settled = _ruling(tmp_path, "2019-05-01", collective_decision=True, repeated=False, actively_remedied=False)
    assert settled.outcome == "lighter"


def test_a_case_kept_open_by_a_later_version_still_gets_a_presumed_ruling(tmp_path):
    ruling = _ruling(tmp_path, "2019-05-01", collective_decision=True, repeated=False)
    assert ruling.outcome_range == ["undetermined"] and ruling.point_reason is None
    # actively_remedied decides the later version's outcome: an eligibility fact, never presumed
    assert ruling.presumed is not None and ruling.presumed.assumptions == []
    assert ruling.presumed.outcome == "undetermined" and ruling.presumed.missing_facts == ["actively_remedied"]


def test_an_unstated_exclusion_fact_is_presumed_across_versions(tmp_path):
    ruling = _ruling(tmp_path, "2022-05-01", collective_decision=True, actively_remedied=True)
    assert ruling.outcome == "undetermined" and "repeated" in ruling.missing_facts
    assert [a.fact for a in ruling.presumed.assumptions] == ["repeated"]
    assert ruling.presumed.outcome in ruling.presumed.outcome_range and ruling.presumed.outcome != "undetermined"
