"""The command line as a user meets it: output, files written, errors, exit codes."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from typer.testing import CliRunner

from rongcuo_cli.cli import app

from .conftest import ROOT, SAMPLES

runner = CliRunner()
WAIVED = str(SAMPLES / "jiaozuo" / "waived_flood_emergency.yaml")
UNDETERMINED = str(SAMPLES / "jiaozuo" / "undetermined_historical_issue.yaml")


def run(*args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "100", "NO_COLOR": "1"})


def test_assess_shows_ruling_in_chinese():
    result = run("assess", WAIVED, "--ruleset", "jiaozuo", "--detail")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "免除" in out and "理由：" in out
    assert "符合的适用情形" in out and "非人为因素导致的失误错误" in out
    assert "一般条件" in out and "审查过程" in out
    # cited by the document, not the seed file (issue: citations name documents)
    assert "《焦作市支持改革创新激励干部担当有为容错纠错办法（试行）》不予容错的情形第1项" in out.replace("\n", "").replace(" ", "")
    assert "002_5e8ed9ad8432f6e5.txt" not in out
    assert "结果运用" in out and "不作负面评价" in out


def test_assess_undetermined_asks_questions():
    result = run("assess", UNDETERMINED, "--ruleset", "jiaozuo", "--detail")
    assert result.exit_code == 0
    assert "待定" in result.output
    assert "尚需查明的事实" in result.output
    assert "决策是否经过集体研究、民主决策程序？" in result.output


def test_assess_json_follows_contract():
    result = run("assess", WAIVED, "--ruleset", "jiaozuo", "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert list(data)[:7] == ["case_id", "ruleset", "outcome", "matched", "exclusions", "missing_facts", "trail"]
    assert data["outcome"] == "waived"
    first = data["trail"][0]
    assert set(first) >= {"rule", "result", "facts", "cites"}
    assert set(first["cites"]) >= {"source", "clause", "quote"}
    assert first["result"] in ("true", "false", "unknown")


def test_output_file_written_and_identical_to_stdout(tmp_path):
    target = tmp_path / "ruling.json"
    result = run("assess", WAIVED, "--ruleset", "jiaozuo", "--output", str(target))
    assert result.exit_code == 0
    printed = run("assess", WAIVED, "--ruleset", "jiaozuo", "--json").output
    assert target.read_text(encoding="utf-8") == printed
    assert [p.name for p in tmp_path.iterdir()] == ["ruling.json"]  # no temp file left


def test_output_into_missing_folder_is_a_clean_error(tmp_path):
    result = run("assess", WAIVED, "--ruleset", "jiaozuo", "--output", str(tmp_path / "no" / "such" / "r.json"))
    assert result.exit_code == 4  # the output cannot be written: the environment, not the input
    assert "无法写入输出文件：文件或目录不存在" in result.output  # the reason in Chinese, not the OS's English
    assert "Traceback" not in result.output


def test_rulesets_lists_shipped():
    result = run("rulesets")
    assert result.exit_code == 0
    assert "jiaozuo" in result.output and "河南省焦作市" in result.output


def test_unknown_ruleset_is_usage_error_listing_known():
    result = run("assess", WAIVED, "--ruleset", "jiaozou")
    assert result.exit_code == 2
    assert "未知的规则集 `jiaozou`" in result.output
    assert "jiaozuo" in result.output
    assert "Traceback" not in result.output


def test_missing_case_file():
    result = run("assess", "no-such-case.yaml", "--ruleset", "jiaozuo")
    assert result.exit_code == 2  # a path that does not exist is a usage error in every command
    assert "no-such-case.yaml: 错误[not-found] 文件不存在" in result.output


def test_not_yaml(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("case_id: X\ntitle: [unclosed\n", encoding="utf-8")
    result = run("assess", str(bad), "--ruleset", "jiaozuo")
    assert result.exit_code == 1
    assert f"{bad}:3:1" in result.output or f"{bad}:2:" in result.output
    assert "YAML 语法错误" in result.output.replace("\n", "")  # the line folds where the tmp path is long


def test_misspelt_fact_gets_position_and_did_you_mean(tmp_path):
    bad = tmp_path / "typo.yaml"
    bad.write_text(
        "case_id: X-1\ntitle: 测试\nsubject:\n  kind: individual\nfacts:\n  privat_gain: false\n  collective_decision: yes\n",
        encoding="utf-8",
    )
    result = run("assess", str(bad), "--ruleset", "jiaozuo")
    assert result.exit_code == 1
    out = result.output
    assert f"{bad}:6:3" in out and "未知的字段 `privat_gain`" in out and "private_gain" in out
    assert f"{bad}:7:24" in out and "应为 是/否（或 true/false）" in out
    assert "Traceback" not in out


def test_python_dash_m_works_like_the_script():
    result = subprocess.run(
        [sys.executable, "-m", "rongcuo_cli", "assess", WAIVED, "--ruleset", "jiaozuo", "--json"],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert result.returncode == 0
    assert json.loads(result.stdout) == json.loads(run("assess", WAIVED, "--ruleset", "jiaozuo", "--json").output)


def test_narrow_terminal_still_readable():
    result = runner.invoke(app, ["assess", WAIVED, "--ruleset", "jiaozuo"], env={"COLUMNS": "40", "NO_COLOR": "1"})
    assert result.exit_code == 0
    assert all(len(line) <= 40 for line in result.output.splitlines())
    assert "免除" in result.output


def test_no_color_has_no_escape_codes():
    result = runner.invoke(app, ["assess", WAIVED, "--ruleset", "jiaozuo", "--no-color"], env={"COLUMNS": "100", "FORCE_COLOR": "1"})
    assert result.exit_code == 0
    colour = re.compile(r"\x1b\[(?:\d+;)*(?:3[0-8]|9[0-7])(?:;|m)")
    assert not colour.search(result.output)
    coloured = runner.invoke(app, ["assess", WAIVED, "--ruleset", "jiaozuo"], env={"COLUMNS": "100", "FORCE_COLOR": "1"})
    assert colour.search(coloured.output)  # the check above can fail


def test_no_empty_requirements_table_for_a_ruleset_without_requirements():
    liwan = str(SAMPLES / "liwan" / "real_economic_cooperative.yaml")
    result = run("assess", liwan, "--ruleset", "liwan")
    assert result.exit_code == 0
    assert "一般条件" not in result.output.split("审查过程")[0]


def test_output_to_a_device_writes_through_and_keeps_the_device(tmp_path):
    import os
    import stat
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    import threading
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = run("assess", WAIVED, "--ruleset", "jiaozuo", "--output", str(fifo))
    reader.join(timeout=20)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)  # still a pipe, not replaced by a file
    assert b'"outcome": "waived"' in received[0]


def test_output_through_a_link_keeps_the_link(tmp_path):
    target = tmp_path / "real.json"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    result = run("assess", WAIVED, "--ruleset", "jiaozuo", "--output", str(link))
    assert result.exit_code == 0
    assert link.is_symlink()
    assert '"outcome": "waived"' in target.read_text(encoding="utf-8")


def test_output_onto_the_case_file_is_refused(tmp_path):
    import shutil
    case = tmp_path / "case.yaml"
    shutil.copy(WAIVED, case)
    before = case.read_text(encoding="utf-8")
    result = run("assess", str(case), "--ruleset", "jiaozuo", "--output", str(case))
    assert result.exit_code == 2
    assert "输出文件就是输入的案件文件" in result.output
    assert case.read_text(encoding="utf-8") == before


def test_batch_output_inside_the_inputs_is_refused(tmp_path):
    import shutil
    folder = tmp_path / "cases"
    folder.mkdir()
    shutil.copy(WAIVED, folder / "a.yaml")
    shutil.copy(UNDETERMINED, folder / "b.yaml")
    before = (folder / "b.yaml").read_text(encoding="utf-8")
    result = run("batch", str(folder), "-r", "jiaozuo", "-f", "jsonl", "-o", str(folder / "b.yaml"), "--quiet")
    assert result.exit_code == 2
    assert (folder / "b.yaml").read_text(encoding="utf-8") == before


def test_an_exclusion_is_not_shown_next_to_eligible_yes():
    result = run("assess", WAIVED, "--ruleset", "jiaozuo", "--set", "repeated=true", "--detail")
    assert result.exit_code == 0
    assert "不予容错" in result.output
    assert "是否符合容错条件：不再审查" in result.output


def test_very_narrow_columns_fold_without_losing_text():
    from rich.console import Console
    from rich.table import Table

    from rongcuo_cli.render.base import Para

    title = "滁州市激励党员干部改革创新干事创业敢于担当若干意见"
    table = Table()
    table.add_column("编号")
    table.add_column("名称")
    table.add_row("chuzhou", Para(title))
    console = Console(width=16, record=True, no_color=True)
    console.print(table)
    lines = console.export_text().splitlines()
    name_column = "".join(line.split("│")[2].strip() for line in lines if line.count("│") == 3)
    assert title in name_column


def test_unknown_names_are_usage_errors_everywhere():
    assert run("rulesets", "test", "nosuch").exit_code == 2
    assert run("rulesets", "check", "nosuch").exit_code == 2
    result = run("coverage", WAIVED, "-r", "jiaozuo")
    assert result.exit_code == 2
    assert "这是一个文件，不是案件目录" in result.output
