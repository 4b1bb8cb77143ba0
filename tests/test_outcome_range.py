"""Lawful ranges and presumed rulings (contract 2's ``outcome_range`` and ``presumed``).

What a handler relies on: the recommended outcome always lies inside the range
the applied clause allows; an undetermined ruling also says what it would be
if the unstated exclusion facts are verified absent, and lists each of them;
eligibility facts are never presumed; and the strict outcome is unchanged.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rongcuo_cli.engine.advice import advise
from rongcuo_cli.load.case_file import load_case
from rongcuo_cli.cli import app
from rongcuo_cli.engine.presumption import presumable_facts
from rongcuo_cli.load.ruleset_loader import load_ruleset, shipped_ids
from rongcuo_cli.model.ruleset import OUTCOME_ORDER

from .conftest import SAMPLES

SAMPLE_FILES = sorted(SAMPLES.glob("*/*.yaml"))
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "80", "NO_COLOR": "1"})


def _ruling(path: Path, ruleset: str, **changes):
    case = load_case(path)
    if changes:
        case = case.model_copy(update={"facts": case.facts.model_copy(update=changes)})
    return advise(case, load_ruleset(ruleset), _vocab(), analyse=False)


def _vocab():
    from rongcuo_cli.load.vocabulary import load_vocabulary

    return load_vocabulary()


@pytest.mark.parametrize("ruleset", shipped_ids())
def test_every_sample_under_every_ruleset_keeps_its_outcome_inside_its_range(ruleset):
    presumable = presumable_facts(load_ruleset(ruleset))
    for path in SAMPLE_FILES:
        ruling = _ruling(path, ruleset)
        assert ruling.outcome in ruling.outcome_range, path
        assert ruling.outcome_range == sorted(ruling.outcome_range, key=(*OUTCOME_ORDER, "undetermined").index)
        if "not_tolerated" in ruling.outcome_range or "undetermined" in ruling.outcome_range:
            assert len(ruling.outcome_range) == 1, path
        if ruling.outcome != "undetermined":
            assert ruling.presumed is None, path
            continue
        presumed = ruling.presumed
        assert presumed is not None, path
        assert presumed.outcome in presumed.outcome_range
        assumed = [a.fact for a in presumed.assumptions]
        assert set(assumed) <= set(ruling.missing_facts), path
        assert set(assumed) <= presumable, path  # only facts that can only bar tolerance
        assert set(presumed.missing_facts) <= set(ruling.missing_facts) - set(assumed), path


def test_presumable_facts_are_exclusion_facts_never_eligibility_facts():
    national = presumable_facts(load_ruleset("national"))
    assert {"private_gain", "knowingly_violated", "defied_explicit_ban", "corruption"} <= national
    # read by situations as something that must hold: never presumed
    assert not {"collective_decision", "public_interest", "diligent", "force_majeure"} & national
    # no longer an exclusion of the national baseline (it was the blanket red line)
    assert "violates_prohibition" not in national
    # jiaozuo's own text keeps the exclusion, so there it may be presumed absent
    assert "violates_prohibition" in presumable_facts(load_ruleset("jiaozuo"))
    # chuzhou reads it as a general condition (不违反法律法规纪律明确规定): an eligibility fact
    assert "violates_prohibition" not in presumable_facts(load_ruleset("chuzhou"))


def test_missing_eligibility_fact_keeps_the_presumed_ruling_open():
    path = SAMPLES / "national" / "waived_urgent_project_before_approval.yaml"
    ruling = _ruling(path, "national", collective_decision=None, corruption=None)
    assert ruling.outcome == "undetermined"
    assert [a.fact for a in ruling.presumed.assumptions] == ["corruption"]
    assert ruling.presumed.outcome == "undetermined"
    assert "collective_decision" in ruling.presumed.missing_facts


def test_strict_outcome_is_not_changed_by_presumption():
    path = SAMPLES / "national" / "undetermined_exclusions_unstated.yaml"
    ruling = _ruling(path, "national")
    assert (ruling.outcome, ruling.outcome_range, ruling.possible_outcomes) == ("undetermined", ["undetermined"], ["waived", "not_tolerated"])
    assert ruling.result_use == []  # nothing follows from a presumption until it is verified
    assert ruling.presumed.outcome == "waived"
    assert ruling.presumed.outcome_range == ["waived", "reduced", "lighter"]
    assert ruling.presumed.point_reason and "免除" in ruling.presumed.point_reason
    assert [a.value for a in ruling.presumed.assumptions] == [False] * 5


# --- the situations of published decisions, under national and two regions ---------------

PUBLISHED = SAMPLES / "national"
TOLERATED = ["waived", "reduced", "lighter"]
SITUATIONS = [
    # (sample, outcome and range under national, zhejiang and liwan)
    ("waived_urgent_project_before_approval", "waived"),
    ("reduced_lottery_instead_of_tender", "reduced"),
    ("lighter_lacked_conditions", "lighter"),
]


@pytest.mark.parametrize("ruleset", ["national", "zhejiang", "liwan"])
@pytest.mark.parametrize("sample, outcome", SITUATIONS)
def test_a_breach_of_procedure_for_the_public_is_tolerated_with_a_range(sample, outcome, ruleset):
    ruling = _ruling(PUBLISHED / f"{sample}.yaml", ruleset)
    assert ruling.outcome == outcome
    assert ruling.outcome_range == TOLERATED
    assert ruling.exclusions == []
    assert ruling.point_reason  # the trail says why that point
    decided = [e for e in ruling.trail if e.decided]
    assert len(decided) == 1 and decided[0].range == TOLERATED and decided[0].point_reason == ruling.point_reason


@pytest.mark.parametrize("ruleset", ["national", "zhejiang", "liwan"])
def test_only_exclusion_facts_unstated_gives_a_presumed_ruling(ruleset):
    ruling = _ruling(PUBLISHED / "undetermined_exclusions_unstated.yaml", ruleset)
    assert ruling.outcome == "undetermined"
    assert ruling.presumed.outcome == "waived" and ruling.presumed.outcome_range == TOLERATED
    assert ruling.presumed.missing_facts == []


@pytest.mark.parametrize("ruleset", ["national", "zhejiang", "liwan"])
@pytest.mark.parametrize("fact, exclusion", [("knowingly_violated", "principle_1_knowing_violation"), ("private_gain", "principle_3_private_gain")])
def test_a_knowing_breach_or_private_gain_is_still_not_tolerated(ruleset, fact, exclusion):
    ruling = _ruling(PUBLISHED / "waived_urgent_project_before_approval.yaml", ruleset, **{fact: True})
    assert ruling.outcome == "not_tolerated" and ruling.outcome_range == ["not_tolerated"]
    assert exclusion in ruling.exclusions


def test_a_regional_text_that_bars_breaches_keeps_its_own_words():
    ruling = _ruling(PUBLISHED / "waived_urgent_project_before_approval.yaml", "jiaozuo")
    assert ruling.outcome == "not_tolerated"
    assert ruling.exclusions == ["exclusion_1_violates_discipline"]
    entry = next(e for e in ruling.trail if e.rule == "exclusion_1_violates_discipline")
    assert entry.cites.source == "002_5e8ed9ad8432f6e5.txt" and "强制性或禁止性规定" in entry.cites.quote_text


# --- what the handler sees ------------------------------------------------------------------

def test_screen_shows_the_range_and_the_reason_for_the_point():
    result = run("assess", str(PUBLISHED / "reduced_lottery_instead_of_tender.yaml"), "-r", "national", "--no-analysis", "--detail")
    assert result.exit_code == 0, result.output
    out = result.output.replace("│", "").replace("\n", "").replace(" ", "")
    assert "处理幅度：可以减轻，也可以免除或从轻" in out
    assert "建议理由：损失未能全部挽回" in out


def test_screen_shows_strict_and_presumed_with_questions_to_verify():
    result = run("assess", str(PUBLISHED / "undetermined_exclusions_unstated.yaml"), "-r", "national", "--no-analysis", "--detail")
    assert result.exit_code == 0, result.output
    out = result.output.replace("│", "").replace("\n", "").replace(" ", "")
    assert "严格结论：待定" in out
    assert "推定结论（待核实）：免除" in out
    assert "核实：是否违反政治纪律？（推定为否；political_discipline_violation）" in out


def test_batch_csv_and_summary_carry_range_and_presumed(tmp_path):
    out = tmp_path / "r.csv"
    result = run("batch", str(SAMPLES / "national"), "-r", "national", "-o", str(out))
    assert result.exit_code == 0, result.output
    rows = {Path(r["file"]).stem: r for r in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig")))}
    assert rows["waived_force_majeure"]["outcome_range"] == "waived;reduced;lighter"
    assert rows["waived_force_majeure"]["presumed_outcome"] == ""
    assert rows["not_tolerated_private_gain"]["outcome_range"] == "not_tolerated"
    unstated = rows["undetermined_exclusions_unstated"]
    assert (unstated["outcome"], unstated["outcome_range"], unstated["presumed_outcome"]) == ("undetermined", "undetermined", "waived")
    summary = result.stdout
    assert "严格结论" in summary and "推定结论（待核实）" in summary
    # two undetermined samples: one presumed waived, one still open (its gaps are eligibility facts)
    undetermined_row = next(line for line in summary.splitlines() if "undetermined" in line)
    assert [cell for cell in undetermined_row.replace("│", " ").split() if cell.isdigit()] == ["2", "1"]


# --- ruleset language -----------------------------------------------------------------------

RULESET = """\
id: ranged
title: 幅度测试
short_title: 测
region: 测
issuer: 测
status: 测
source: [测]
coverage: 测
outcomes:
  - id: fallback
    outcome: {outcome}
    range: {range}
{reason}    title: 兜底
    cites: {{source: 测, clause: 一, quote: 可以免除、减轻或从轻, paraphrase: true}}
"""


def _check(tmp_path, outcome, range_, reason="    point_reason: 理由\n"):
    path = tmp_path / "ranged.yaml"
    path.write_text(RULESET.format(outcome=outcome, range=range_, reason=reason), encoding="utf-8")
    return run("rulesets", "check", str(path))


def test_check_accepts_a_point_inside_its_range(tmp_path):
    result = _check(tmp_path, "lighter", "[waived, reduced, lighter]")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("outcome, range_, message", [
    ("waived", "[reduced, lighter]", "处理幅度不含建议的结果 waived"),
    ("lighter", "[lighter, waived]", "处理幅度的各项须从宽到严排列、不重复"),
    ("lighter", "[lighter, not_tolerated]", "处理幅度把不予容错与容错结果列在同一幅度里"),
])
def test_check_rejects_a_bad_range_where_it_is_written(tmp_path, outcome, range_, message):
    result = _check(tmp_path, outcome, range_)
    assert result.exit_code == 1
    assert f"ranged.yaml:12:12: 错误[value] `outcomes[0].range` {message}" in result.output


def test_check_wants_a_reason_when_the_range_leaves_a_choice(tmp_path):
    result = _check(tmp_path, "lighter", "[waived, reduced, lighter]", reason="")
    assert result.exit_code == 1
    assert "错误[range-without-reason]" in result.output and "没有说明为何建议 lighter" in result.output


def test_an_omitted_range_is_the_point_alone(tmp_path):
    path = tmp_path / "fixed.yaml"
    path.write_text(RULESET.format(outcome="waived", range="[waived]", reason="").replace("    range: [waived]\n", ""), encoding="utf-8")
    ruling = advise(load_case(SAMPLES / "national" / "waived_force_majeure.yaml"), load_ruleset(str(path)), _vocab(), analyse=False)
    assert (ruling.outcome, ruling.outcome_range) == ("waived", ["waived"])
    assert ruling.range_text == "依条文应当免除（无裁量幅度）"
