"""Measures: the outcome applied to the sanction ladders of the national norms."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from rongcuo_cli.load.case_file import load_case
from rongcuo_cli.cli import app
from rongcuo_cli.engine.measures import advise_measure
from rongcuo_cli.load.ladders import load_ladders
from rongcuo_cli.authoring.quotes import missing_fragments

from .conftest import SAMPLES, SHARED

runner = CliRunner()


def _case(tmp_path, measure_lines: str):
    path = tmp_path / "case.yaml"
    path.write_text(f"case_id: M-1\ntitle: 措施测试\nsubject: {{kind: individual}}\n{measure_lines}", encoding="utf-8")
    return path


@pytest.mark.parametrize("outcome, suggested", [
    ("waived", []),
    ("reduced", ["警告"]),
    ("lighter", ["严重警告"]),
    ("not_tolerated", ["严重警告", "撤销党内职务"]),
])
def test_outcome_moves_on_the_party_ladder(tmp_path, outcome, suggested):
    case = load_case(_case(tmp_path, "measure_range: [严重警告, 撤销党内职务]\n"))
    advice = advise_measure(case, outcome)
    assert advice.ladder == "party_discipline" and advice.range == ["严重警告", "撤销党内职务"]
    assert advice.suggested == suggested


def test_waived_still_allows_milder_measures_with_citation(tmp_path):
    advice = advise_measure(load_case(_case(tmp_path, "proposed_measure: 记过\n")), "waived")
    assert advice.ladder == "government_sanction" and advice.suggested == []
    assert advice.alternatives == ["谈话提醒", "批评教育", "责令检查", "诫勉"]
    assert any(c.clause == "第十二条" for c in advice.cites)


def test_effect_periods_come_with_their_clause(tmp_path):
    party = advise_measure(load_case(_case(tmp_path, "proposed_measure: 党内警告\n")), "lighter")
    assert [(e.grade, e.cites.clause) for e in party.effects] == [("警告", "第十条")]
    assert party.effects[0].text.startswith("一年内不得在党内提拔")
    government = advise_measure(load_case(_case(tmp_path, "measure_range: [记过, 降级]\n")), "not_tolerated")
    assert [e.text for e in government.effects] == ["处分期间十二个月", "处分期间十八个月", "处分期间二十四个月"]


def test_expulsion_alone_cannot_be_reduced(tmp_path):
    advice = advise_measure(load_case(_case(tmp_path, "measure_range: [开除党籍]\n")), "reduced")
    assert advice.suggested == ["开除党籍"] and "不适用减轻" in advice.text
    assert any(c.clause == "第二十三条" for c in advice.cites)


def test_reducing_below_the_lightest_grade_is_marked_as_interpretation(tmp_path):
    advice = advise_measure(load_case(_case(tmp_path, "measure_range: [政务警告]\n")), "reduced")
    assert advice.suggested == [] and advice.alternatives and advice.basis == "interpretation"


def test_first_form_measure_is_not_a_grade(tmp_path):
    case = load_case(_case(tmp_path, "proposed_measure: 批评教育\n"))
    kept = advise_measure(case, "reduced")
    assert kept.ladder == "first_form" and kept.suggested == ["批评教育"] and "不是处分" in kept.text
    dropped = advise_measure(case, "waived")
    assert dropped.suggested == [] and dropped.cites[0].clause == "第一种形态"


def test_ambiguous_or_unknown_proposed_measure_is_said(tmp_path):
    ambiguous = advise_measure(load_case(_case(tmp_path, "proposed_measure: 警告\n")), "lighter")
    assert ambiguous.ladder is None and "党内警告 或 政务警告" in ambiguous.text
    other = advise_measure(load_case(_case(tmp_path, "proposed_measure: 调离岗位\n")), "lighter")
    assert other.ladder is None and "无法推算" in other.text
    assert advise_measure(load_case(SAMPLES / "jiaozuo" / "undetermined_historical_issue.yaml"), "waived") is None


@pytest.mark.parametrize("lines, where, message", [
    ("measure_range: [严重警高]\n", ":4:17", "未知的处分档次 `严重警高`"),
    ("measure_range: [严重警告, 记大过]\n", ":4:16", "不属于同一处分序列"),
    ("measure_range: [留党察看, 警告]\n", ":4:16", "重于"),
    ("measure_range: [警告]\n", ":4:16", "同属党纪处分、政务处分"),
])
def test_bad_range_is_a_positioned_error(tmp_path, lines, where, message):
    path = _case(tmp_path, lines)
    result = runner.invoke(app, ["assess", str(path), "-r", "jiaozuo"], env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert result.exit_code == 1
    assert f"{path}{where}" in result.output and message in result.output
    if "严重警高" in lines:
        assert "严重警告" in result.output  # did-you-mean


def test_ruling_shows_the_adjusted_measure():
    result = runner.invoke(app, ["assess", str(SAMPLES / "jiaozuo" / "reduced_industrial_project.yaml"), "-r", "jiaozuo", "--detail"],
                           env={"COLUMNS": "120", "NO_COLOR": "1"})
    assert "处理措施建议" in result.output and "减轻一档，给予警告" in result.output and "处分期间六个月" in result.output


@pytest.mark.skipif(not (SHARED / "docs").is_dir(), reason="../shared is not beside the checkout")
def test_ladder_quotes_occur_in_the_national_norms():
    norms = (SHARED / "docs" / "national-norms.md").read_text(encoding="utf-8")
    ladders = load_ladders()
    cites = [ladders.first_form.cites]
    for ladder in ladders.ladders.values():
        cites += [ladder.cites, ladder.lighter, ladder.reduced, ladder.exempt.cites] + [e.cites for e in ladder.effects.values()]
    missing = [(c.clause, missing_fragments(c, norms)) for c in cites if not c.paraphrase and missing_fragments(c, norms)]
    assert missing == []


def test_a_first_form_measure_waits_for_an_undetermined_ruling(tmp_path):
    from rongcuo_cli.engine.advice import advise
    from rongcuo_cli.load.case_file import case_model
    from rongcuo_cli.load.ruleset_loader import load_ruleset
    from rongcuo_cli.load.vocabulary import load_vocabulary

    case = case_model().model_validate({"case_id": "M-1", "title": "测试", "subject": {"kind": "individual"}, "proposed_measure": "批评教育"})
    ruling = advise(case, load_ruleset("jiaozuo"), load_vocabulary(), analyse=False)
    assert ruling.outcome == "undetermined"
    assert ruling.measure.suggested == []
    assert "措施待认定后确定" in ruling.measure.text
