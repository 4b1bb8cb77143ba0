"""``rongcuo rulesets test``: shipped ruleset tests pass; a failing test shows expected, actual and the trail."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from rongcuo_cli.cli import app
from rongcuo_cli.model.diagnostics import UserError
from rongcuo_cli.authoring.ruleset_tests import run_test_file, shipped_test_files, untested_shipped
from rongcuo_cli.load.vocabulary import load_vocabulary

from .conftest import ROOT, SAMPLES

FLOOD = SAMPLES / "jiaozuo" / "waived_flood_emergency.yaml"


def run(*args: str):
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "250", "NO_COLOR": "1"})


@pytest.mark.parametrize("source", shipped_test_files(), ids=lambda s: s.name)
def test_shipped_ruleset_tests_pass(source):
    report = run_test_file(source, load_vocabulary())
    assert report.results
    assert [(r.name, [m.model_dump() for m in r.mismatches]) for r in report.failed] == []


def test_every_shipped_ruleset_has_tests_beside_it():
    assert untested_shipped() == []
    assert (ROOT / "rulesets" / "tests" / "jiaozuo.yaml").is_file()


def test_command_runs_all_shipped_tests():
    result = run("rulesets", "test")
    assert result.exit_code == 0, result.output
    assert "✓ 违反党的纪律或法律法规强制性、禁止性规定的，不予容错（第1项）" in result.output
    assert "项通过，0 项失败" in result.output


def _write(tmp_path, body: str):
    path = tmp_path / "t.yaml"
    path.write_text(f"ruleset: jiaozuo\ntests:\n{body}", encoding="utf-8")
    return path


def test_failing_test_prints_expected_actual_and_trail(tmp_path):
    path = _write(tmp_path, (
        "  - name: 未履职尽责却预期因不可抗力免除\n"
        f"    case: {FLOOD}\n"
        "    with: {facts: {diligent: false}}\n"
        "    expect: {outcome: waived, decided_by: outcome_waived_force_majeure}\n"
    ))
    result = run("rulesets", "test", str(path))
    assert result.exit_code == 1
    out = result.output
    assert "✗ 未履职尽责却预期因不可抗力免除" in out
    # outcome still waived (minor loss, remedied) — only the deciding entry differs
    assert "处理结果（outcome）" not in out
    assert '决定结果的一项（decided_by）：预期 "outcome_waived_force_majeure"，实际 "outcome_waived_minor_remedied"' in out
    assert "[处理结果] outcome_waived_force_majeure：否（force_majeure=true，unforeseeable=未知，diligent=false）" in out
    assert "→ [处理结果] outcome_waived_minor_remedied：是" in out
    assert "0 项通过，1 项失败" in out


def test_failing_range_and_presumed_expectations_are_shown_in_chinese(tmp_path):
    path = _write(tmp_path, (
        "  - name: 预期幅度只有免除，推定从轻\n"
        f"    case: {FLOOD}\n"
        "    expect: {outcome_range: [waived], presumed_outcome: lighter, presumed_facts: [private_gain]}\n"
    ))
    result = run("rulesets", "test", str(path))
    assert result.exit_code == 1, result.output
    out = result.output
    assert '处理幅度（outcome_range）：预期 ["waived"]，实际 ["waived", "reduced", "lighter"]' in out
    assert "推定结论（presumed_outcome）" in out and "作出推定的事实（presumed_facts）" in out


def test_every_expectation_field_has_a_chinese_label():
    from rongcuo_cli.cli.test_cmd import FIELD_LABELS
    from rongcuo_cli.authoring.ruleset_tests import Expectation

    assert set(FIELD_LABELS) == set(Expectation.model_fields)


def test_lists_compare_as_sets_and_must_be_complete(tmp_path):
    path = _write(tmp_path, (
        "  - name: 顺序不计\n"
        f"    case: {FLOOD}\n"
        "    expect: {matched: [item_9_policy_change_force_majeure, item_7_emergency, condition_3_non_human, condition_2_development]}\n"
        "  - name: 少列一项即失败\n"
        f"    case: {FLOOD}\n"
        "    expect: {matched: [condition_3_non_human]}\n"
    ))
    report = run_test_file(path, load_vocabulary())
    assert [r.passed for r in report.results] == [True, False]


def test_typos_in_a_test_file_are_positioned(tmp_path):
    path = _write(tmp_path, (
        "  - name: 拼错\n"
        "    case: nope\n"
        "    expect: {outcome: waived, exclusions: [exclusion_9]}\n"
        "  - name: 事实值写错\n"
        f"    case: {FLOOD}\n"
        "    with: {facts: {diligent: maybe}}\n"
        "    expect: {outcome: waived}\n"
    ))
    with pytest.raises(UserError) as caught:
        run_test_file(path, load_vocabulary())
    plain = [d.plain() for d in caught.value.diagnostics]
    assert plain[0].startswith(f"{path}:4:11: 找不到基础案件 `nope`")
    assert plain[1].startswith(f"{path}:5:44: `exclusion_9` 不是规则集 `jiaozuo` 中的不予容错情形")
    assert "exclusion_4_repeated" in plain[1]
    assert plain[2].startswith(f"{path}:8:30: `facts.diligent` 应为 是/否（或 true/false）")
    result = run("rulesets", "test", str(path))
    assert result.exit_code == 1 and "Traceback" not in result.output


def test_an_expectation_is_required(tmp_path):
    path = _write(tmp_path, f"  - name: 空\n    case: {FLOOD}\n    expect: {{}}\n")
    result = run("rulesets", "test", str(path))
    assert result.exit_code == 1
    assert ":5:13: 错误[value] `tests[0].expect` 不能为空" in result.output


def test_a_users_ruleset_file_finds_its_tests_beside_it(tmp_path):
    ruleset = tmp_path / "mine.yaml"
    ruleset.write_text((ROOT / "tests" / "lint" / "warnings_only.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "mine.yaml").write_text(
        "ruleset: ../mine.yaml\ntests:\n"
        "  - name: 政策调整属非人为因素，从轻\n"
        "    case: {case_id: T, title: 测试, subject: {kind: unit}, facts: {policy_change: true}}\n"
        "    expect: {outcome: lighter, matched: [condition_3_non_human, condition_3_again], missing_facts: []}\n"
        "  - name: 都不成立的，不予容错\n"
        "    case: {case_id: T, title: 测试, subject: {kind: unit}, facts: {policy_change: false, force_majeure: false}}\n"
        "    expect: {outcome: not_tolerated, matched: []}\n",
        encoding="utf-8",
    )
    result = run("rulesets", "test", str(ruleset))
    assert result.exit_code == 0, result.output
    assert "warnings_only：2 项通过，0 项失败" in result.output


def test_unknown_name_is_an_error():
    result = run("rulesets", "test", "jiaozou")
    assert result.exit_code == 2
    assert "是否想写 `jiaozuo`" in result.output


def test_running_all_notes_shipped_rulesets_without_tests(monkeypatch):
    import rongcuo_cli.authoring.ruleset_tests as ruleset_tests
    monkeypatch.setattr(ruleset_tests, "shipped_ids", lambda: ["jiaozuo", "xiangtan"])
    result = run("rulesets", "test")
    assert result.exit_code == 0
    assert "注意：规则集 xiangtan 还没有测试文件（rulesets/tests/xiangtan.yaml）" in result.output
    assert "规则集 jiaozuo 还没有" not in result.output
