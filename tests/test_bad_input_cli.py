"""Bad input as a user meets it on the command line: printed lines and exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rongcuo_cli.cli import app
from rongcuo_cli.cli.exit_codes import ExitCode
from rongcuo_cli.cli.guard import REPORT_TO

from .conftest import ROOT, SAMPLES
from .test_bad_input import JIAOZUO, VALID

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "80", "NO_COLOR": "1"})


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_exit_codes_are_one_documented_enum():
    assert {code.name: int(code) for code in ExitCode} == {
        "OK": 0, "INVALID_INPUT": 1, "USAGE": 2, "INTERNAL": 3, "OUTPUT_FAILED": 4,
        "HANGUP": 129, "INTERRUPTED": 130, "BROKEN_PIPE": 141, "TERMINATED": 143,
    }
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for code in ExitCode:
        assert f"| {int(code)} |" in readme


def test_syntax_error_shows_the_line_with_a_caret_under_the_column(tmp_path):
    bad = write(tmp_path, "bad.yaml", "case_id: T-1\ntitle: 会议纪要: 第3号\n")
    result = run("assess", str(bad), "--ruleset", "jiaozuo")
    assert result.exit_code == ExitCode.INVALID_INPUT
    lines = result.output.splitlines()
    assert lines[0].startswith(f"{bad}:2:12: 错误[yaml-syntax] YAML 语法错误：此处不能出现“键: 值”")
    assert lines[1] == "    | title: 会议纪要: 第3号"
    # "title: 会议纪要" is 7 + 4×2 = 15 terminal cells wide: the caret stands under the colon.
    assert lines[2] == "    | " + " " * 15 + "^"
    assert lines[3].startswith("    提示：")
    assert "Traceback" not in result.output


def test_tab_caret_stays_aligned(tmp_path):
    bad = write(tmp_path, "tab.yaml", "case_id: T-1\nsubject:\n  kind:\tunit\n")
    result = run("assess", str(bad), "--ruleset", "jiaozuo")
    lines = result.output.splitlines()
    assert lines[0].startswith(f"{bad}:3:8: 错误[yaml-syntax] YAML 语法错误：不能用 Tab 缩进或对齐，请改用空格")
    assert lines[1] == "    |   kind: unit"  # the tab shown as one space
    assert lines[2] == "    | " + " " * 7 + "^"


def test_long_error_lines_are_not_wrapped(tmp_path):
    bad = write(tmp_path, "long.yaml", VALID.replace("loss: minor", "loss: catastrophic"))
    result = run("assess", str(bad), "--ruleset", "jiaozuo")
    first = result.output.splitlines()[0]
    assert first.startswith(f"{bad}:9:7: 错误[value] `loss` 的值 `catastrophic` 不在允许范围内；允许：none（无）、minor（较小）")


def test_schema_errors_all_printed_with_positions(tmp_path):
    bad = write(tmp_path, "case.yaml", VALID.replace("loss: minor", "loss: minr").replace("force_majeure: true", "force_majeure: 有"))
    result = run("assess", str(bad), "--ruleset", "jiaozuo")
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert f"{bad}:9:7: 错误[value]" in result.output and "是否想写 `较小`（minor）？" in result.output
    assert f"{bad}:11:18: 错误[type]" in result.output and "把 `有` 改为 是（或 true）" in result.output


# --- internal errors ----------------------------------------------------------------------


def _explode(*_args, **_kwargs):
    raise RuntimeError("boom in the engine")


def test_internal_error_is_short_with_where_to_report(monkeypatch):
    monkeypatch.setattr("rongcuo_cli.engine.advice.advise", _explode)
    result = run("assess", str(SAMPLES / "jiaozuo" / "waived_flood_emergency.yaml"), "--ruleset", "jiaozuo")
    assert result.exit_code == ExitCode.INTERNAL
    assert "内部错误（程序缺陷）：RuntimeError: boom in the engine" in result.output
    assert REPORT_TO in result.output and "--debug" in result.output
    assert "Traceback" not in result.output


def test_debug_shows_the_traceback_and_only_for_that_run(monkeypatch):
    monkeypatch.setattr("rongcuo_cli.engine.advice.advise", _explode)
    case = str(SAMPLES / "jiaozuo" / "waived_flood_emergency.yaml")
    debugged = run("--debug", "assess", case, "--ruleset", "jiaozuo")
    assert debugged.exit_code == ExitCode.INTERNAL
    assert "Traceback (most recent call last)" in debugged.output and "_explode" in debugged.output
    again = run("assess", case, "--ruleset", "jiaozuo")
    assert "Traceback" not in again.output


# --- rongcuo validate ---------------------------------------------------------------------


def test_validate_all_valid_exits_zero(tmp_path):
    result = run("validate", str(SAMPLES), "--ruleset", "jiaozuo")
    assert result.exit_code == ExitCode.OK, result.output
    count = len(list(SAMPLES.rglob("*.yaml")))
    assert result.output.strip() == f"已检查 {count + 1} 个文件：全部有效"


def test_validate_reports_every_problem_of_every_file_and_a_summary(tmp_path):
    folder = tmp_path / "cases"
    folder.mkdir()
    shutil.copy(SAMPLES / "jiaozuo" / "waived_flood_emergency.yaml", folder / "a_good.yaml")
    bad = write(folder, "b_bad.yaml", VALID.replace("loss: minor", "loss: minr").replace("force_majeure: true", "force_majeure: yes"))
    nested = write(folder, "sub/c_syntax.yml", "case_id: [\n")
    write(folder, "_notes.yaml", "not: a case\n")  # skipped: starts with _
    write(folder, ".hidden/d.yaml", "not: a case\n")  # skipped: hidden folder
    write(folder, "readme.txt", "not yaml")
    result = run("validate", str(folder))
    assert result.exit_code == ExitCode.INVALID_INPUT
    out = result.output
    assert f"{bad}:9:7:" in out and f"{bad}:11:" in out
    assert f"{nested}:2:1: 错误[yaml-syntax]" in out
    assert "_notes" not in out and ".hidden" not in out
    assert out.splitlines()[-1] == "已检查 3 个文件：2 个有问题，共 3 处错误"


def test_validate_finds_duplicate_case_ids_across_files(tmp_path):
    first = write(tmp_path, "a.yaml", VALID)
    second = write(tmp_path, "b.yaml", VALID)
    result = run("validate", str(first), str(second))
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert f"{second}:1:10: 错误[duplicate-case-id] 案件编号 `T-1` 与 {first} 重复" in result.output


def test_validate_missing_file_is_reported_with_the_others(tmp_path):
    good = write(tmp_path, "a.yaml", VALID)
    result = run("validate", str(tmp_path / "nope.yaml"), str(good))
    assert result.exit_code == ExitCode.USAGE  # a path that does not exist is exit 2 in every command
    assert f"{tmp_path / 'nope.yaml'}: 错误[not-found] 文件不存在" in result.output
    assert result.output.splitlines()[-1] == "已检查 2 个文件：1 个有问题，共 1 处错误"


def test_validate_checks_a_user_ruleset_file(tmp_path):
    ruleset = write(tmp_path, "my.yaml", JIAOZUO.replace("id: jiaozuo", "id: mine", 1).replace("when: knowingly_violated", "when: knowingly_violatd"))
    result = run("validate", "--ruleset", str(ruleset))
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert f"{ruleset}:" in result.output and "未知的事实 `knowingly_violatd`" in result.output
    assert "是否想写 `knowingly_violated`？" in result.output


def test_validate_unknown_ruleset_id_is_a_usage_error(tmp_path):
    result = run("validate", str(write(tmp_path, "a.yaml", VALID)), "--ruleset", "jiaozou")
    assert result.exit_code == ExitCode.USAGE
    assert "未知的规则集 `jiaozou`" in result.output and "是否想写 `jiaozuo`？" in result.output


def test_validate_without_paths_is_a_usage_error():
    result = run("validate")
    assert result.exit_code == ExitCode.USAGE
    assert "没有给出要检查的文件" in result.output


def test_validate_json_for_editors(tmp_path):
    bad = write(tmp_path, "bad.yaml", "case_id: T-1\ntitle: a: b\n")
    good = write(tmp_path, "good.yaml", VALID)
    result = run("validate", str(bad), str(good), "--json")
    assert result.exit_code == ExitCode.INVALID_INPUT
    report = json.loads(result.output)
    assert (report["checked"], report["invalid"], report["problems"]) == (2, 1, 1)
    first = report["files"][0]
    assert first["file"] == str(bad) and first["valid"] is False
    problem = first["problems"][0]
    assert (problem["line"], problem["column"], problem["code"]) == (2, 9, "yaml-syntax")
    assert problem["source_line"] == "title: a: b"
    assert report["files"][1] == {"file": str(good), "kind": "case", "valid": True, "problems": []}
    assert run("validate", str(bad), str(good), "--json").output == result.output


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig"])
def test_validate_accepts_gbk_and_bom(tmp_path, encoding):
    path = tmp_path / "case.yaml"
    path.write_bytes(VALID.encode(encoding))
    result = run("validate", str(path))
    assert result.exit_code == ExitCode.OK
    assert result.output.strip() == "已检查 1 个文件：全部有效"


@pytest.mark.parametrize("value", ["._", "_", "-._", "+_"])
def test_number_shaped_text_ruamel_cannot_build_is_a_positioned_input_error(tmp_path, value):
    # Found by the fuzz test: ruamel resolved these as numbers and then failed with a bare ValueError.
    case = write(tmp_path, "case.yaml", f"case_id: X-1\ntitle: t\nsubject: {{kind: unit}}\nfacts:\n  private_gain: {value}\n")
    result = run("validate", str(case))
    assert result.exit_code == ExitCode.INVALID_INPUT, result.output
    assert "case.yaml:5:17: 错误[type] `facts.private_gain` 应为 是/否（或 true/false）" in result.output


def test_validate_github_format_prints_annotations_with_positions(tmp_path):
    bad = write(tmp_path, "bad,1.yaml", "case_id: X\ntitle: t\nsubject: {kind: unit}\nfacts:\n  privat_gain: true\n")
    result = run("validate", str(bad), "--format", "github")
    assert result.exit_code == ExitCode.INVALID_INPUT
    (line,) = result.output.splitlines()
    assert line.startswith(f"::error file={str(bad).replace(',', '%2C')},line=5,col=3,title=unknown-key::未知的字段 `privat_gain`")
    assert "%0A" not in line and "\n" not in line


def test_validate_unknown_format_is_a_usage_error(tmp_path):
    result = run("validate", str(write(tmp_path, "a.yaml", VALID)), "--format", "xml")
    assert result.exit_code == ExitCode.USAGE and "未知的格式 `xml`" in result.output
