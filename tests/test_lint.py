"""``rongcuo rulesets check``: each check fires on a ruleset broken on purpose, at the right line."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from rongcuo_cli.cli import app
from rongcuo_cli.authoring.lint import lint_one
from rongcuo_cli.load.ruleset_loader import shipped_ids
from rongcuo_cli.authoring.source_texts import SourceTexts, locate
from rongcuo_cli.load.vocabulary import load_vocabulary

from .conftest import ROOT, SHARED

LINT = ROOT / "tests" / "lint"
BROKEN = str(LINT / "broken.yaml")
WARNINGS_ONLY = str(LINT / "warnings_only.yaml")
needs_seeds = pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="../shared is not beside the checkout")


def run(*args: str):
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "250", "NO_COLOR": "1"})


def found(name: str, texts: SourceTexts | None = None) -> set[tuple[str, str, int | None]]:
    report = lint_one(name, load_vocabulary(), texts or locate(None))
    return {(f.severity, f.diagnostic.code, f.diagnostic.line) for f in report.findings}


@needs_seeds
@pytest.mark.parametrize("ruleset_id", shipped_ids())
def test_shipped_rulesets_pass_strict(ruleset_id):
    result = run("rulesets", "check", ruleset_id, "--strict")
    assert result.exit_code == 0, result.output
    assert "检查通过" in result.output


@needs_seeds
def test_broken_ruleset_trips_every_check_where_it_is_written():
    assert found(BROKEN) == {
        ("error", "never-holds", 23),           # ex_contradiction: all [repeated, not repeated]
        ("error", "interpretation-basis", 33),  # req_collective: note but no leans_on
        ("error", "never-fires", 44),           # sit_needs_private_gain: what ex_private_gain excludes
        ("error", "quote-not-found", 48),
        ("warning", "situation-duplicate", 59),  # sit_force_majeure_again == sit_force_majeure
        ("error", "unknown-source", 61),
        ("warning", "situation-overlap", 66),   # force majeure and policy change lead to waived vs reduced
        ("error", "no-quote", 70),
        ("error", "never-fires", 74),           # sit_no_collective conflicts with req_collective
        ("warning", "paraphrase-as-text", 79),
        ("error", "dead-outcome", 98),          # out_lighter_private_gain: excluded
        ("error", "shadowed-outcome", 104),     # out_reduced_shadowed: force majeure is caught first
        ("error", "dead-outcome", 110),         # after the unconditional out_lighter
    }


@needs_seeds
def test_broken_ruleset_messages_name_the_culprits():
    result = run("rulesets", "check", BROKEN)
    assert result.exit_code == 1
    out = result.output
    assert f"{BROKEN}:44:7: 错误[never-fires] 适用情形 `sit_needs_private_gain` 永远不会起作用：它要求的事实正是 不予容错情形 `ex_private_gain` 所排除的" in out
    assert "它与 一般条件 `req_collective` 不能同时成立" in out
    assert "`out_after_fallback` 排在无条件的 `out_lighter` 之后，永远轮不到" in out
    assert "`out_reduced_shadowed` 被前面的 `out_waived_force_majeure`" in out
    assert "引述不在来源 `002_5e8ed9ad8432f6e5.txt` 中：“这句话不在焦作的原文里”" in out
    # the overlap example is a real case: both situations and nothing else that matters
    assert "可同时成立（例如 " in out and "force_majeure=true" in out and "policy_change=true" in out
    assert "警告[situation-duplicate]" in out
    assert "10 个错误，3 个警告" in out
    assert "Traceback" not in out


@needs_seeds
def test_warnings_fail_only_with_strict():
    relaxed = run("rulesets", "check", WARNINGS_ONLY)
    assert relaxed.exit_code == 0, relaxed.output
    assert "警告[situation-duplicate]" in relaxed.output and "0 个错误，1 个警告" in relaxed.output
    assert run("rulesets", "check", WARNINGS_ONLY, "--strict").exit_code == 1


def variant(tmp_path, old: str, new: str, base: str = "warnings_only.yaml"):
    """A copy of a ruleset under tests/lint with one change."""
    text = (LINT / base).read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "variant.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


@needs_seeds
def test_an_overlap_whose_precedence_is_written_down_is_not_reported(tmp_path):
    explicit = variant(tmp_path, "when: {rule: sit_policy_change}", "when: {all: [{rule: sit_policy_change}, {not: {rule: sit_force_majeure}}]}", base="broken.yaml")
    codes = {code for _, code, _ in found(str(explicit))}
    assert "situation-overlap" not in codes and "situation-duplicate" in codes


def test_unknown_fact_and_tag_are_load_errors_with_suggestions(tmp_path):
    bad = variant(tmp_path, "{any: [force_majeure, policy_change]}", "{any: [force_majure, {context: [histrical_issue]}]}")
    result = run("rulesets", "check", str(bad))
    assert result.exit_code == 1
    assert f"{bad}:14:18: 错误[unknown-fact] 未知的事实 `force_majure`" in result.output
    assert "force_majeure" in result.output
    assert "错误[unknown-value] 未知的情境标签 `histrical_issue`" in result.output and "historical_issue" in result.output


def test_outcome_gap_is_an_error(tmp_path):
    bad = variant(tmp_path, "    title: 从轻\n", "    title: 从轻\n    when: diligent\n")
    result = run("rulesets", "check", str(bad))
    assert result.exit_code == 1
    assert "错误[outcome-gap]" in result.output and "`outcome_lighter` 带有条件" in result.output


def test_a_rule_without_citation_is_an_error(tmp_path):
    bad = variant(tmp_path, "    cites: *non_human\n", "")
    result = run("rulesets", "check", str(bad))
    assert result.exit_code == 1
    assert "错误[missing] 缺少必填字段 `cites`（在 `situations[1]` 下）" in result.output


def test_quotes_are_reported_unchecked_without_sources():
    assert found("jiaozuo", SourceTexts(seeds=None, norms=None)) == {("warning", "quotes-unchecked", None)}


def test_seeds_folder_without_the_cited_seed(tmp_path):
    result = run("rulesets", "check", "jiaozuo", "--seeds", str(tmp_path))
    assert result.exit_code == 1
    assert "错误[unknown-source] 来源文件 `002_5e8ed9ad8432f6e5.txt` 不存在于" in result.output


def test_missing_seeds_folder_is_a_clean_error(tmp_path):
    result = run("rulesets", "check", "jiaozuo", "--seeds", str(tmp_path / "nope"))
    assert result.exit_code == 2  # a --seeds folder that does not exist is a wrong argument
    assert "种子文件目录不存在" in result.output


def test_unknown_ruleset_is_a_usage_error():
    result = run("rulesets", "check", "jiaozou")
    assert result.exit_code == 2
    assert "jiaozuo" in result.output


@needs_seeds
def test_a_child_ruleset_is_checked_through_its_parent(tmp_path):
    """An exclusion added by a ruleset extending jiaozuo kills two of jiaozuo's items: reported in jiaozuo.yaml."""
    child = tmp_path / "child.yaml"
    child.write_text(
        "id: child\nextends: jiaozuo\ntitle: 子规则集\nshort_title: 子\nregion: 无\nissuer: 无\nstatus: 测试\n"
        "source: [002_5e8ed9ad8432f6e5.txt]\ncoverage: 测试\n"
        "exclusions:\n  - id: ex_target_missed\n    title: 未达目标\n    when: target_missed\n"
        "    cites: {source: 002_5e8ed9ad8432f6e5.txt, clause: 不予容错的情形 第4项, quote: 4 同类问题连续出现失误过错的。}\n",
        encoding="utf-8",
    )
    result = run("rulesets", "check", str(child))
    assert result.exit_code == 1
    out = result.output
    assert "rulesets/jiaozuo.yaml:" in out
    assert "`item_2_economic_transformation` 永远不会起作用：它要求的事实正是 不予容错情形 `ex_target_missed` 所排除的" in out
    assert "`item_6_self_raised_target` 永远不会起作用" in out


def test_an_inherited_warning_is_listed_once_under_the_ruleset_that_owns_it(tmp_path):
    parent = tmp_path / "parent.yaml"
    parent.write_text((ROOT / "tests" / "lint" / "warnings_only.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    child = tmp_path / "child.yaml"
    child.write_text(
        "id: child\ntitle: 子规则集\nshort_title: 子\nregion: 测\nissuer: 测\nstatus: 测\nsource: [测]\nextends: parent.yaml\ncoverage: 测\n",
        encoding="utf-8",
    )
    both = run("rulesets", "check", str(parent), str(child))
    assert both.output.count("警告[situation-duplicate]") == 1
    assert "child.yaml（子规则集）：检查通过" in both.output
    alone = run("rulesets", "check", str(child))  # the parent is not checked: the child shows what it inherits
    assert alone.output.count("警告[situation-duplicate]") == 1
