"""The one-screen ruling (default view) and Chinese line breaking."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rongcuo_cli.cli import app
from rongcuo_cli.render.fold import NO_LINE_END, NO_LINE_START, fold

from .conftest import SAMPLES

SAMPLE_FILES = sorted(SAMPLES.glob("*/*.yaml"))
IDS = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")  # rule and fact ids look like private_gain, outcome_waived_…


def _screen(path: Path, *extra: str) -> str:
    result = CliRunner().invoke(app, ["assess", str(path), "-r", path.parent.name, *extra], env={"COLUMNS": "80", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_sample_fits_one_screen_in_chinese_without_ids(path):
    out = _screen(path)
    lines = out.splitlines()
    assert len(lines) <= 60
    assert all(len(line) <= 80 for line in lines)
    assert "建议结果" in out and "理由：" in out
    case_id = next(line for line in lines if "案件编号：" in line).split("案件编号：")[1].split("　")[0]
    assert IDS.findall(out.replace(case_id, "")) == []  # ids only in --detail and JSON
    assert ".txt" not in out  # documents by title, never seed file names
    for line in lines:
        text = line.strip("│ ")
        assert not (text and text[0] in NO_LINE_START), line


def test_reasons_name_the_clause_by_document_and_item():
    out = _screen(SAMPLES / "jiaozuo" / "waived_flood_emergency.yaml").replace("│", "").replace("\n", "").replace(" ", "")
    assert "《焦作市支持改革创新激励干部担当有为容错纠错办法（试行）》容错纠错的条件" in out
    assert "处理幅度：可以免除，也可以减轻或从轻" in out


def test_undetermined_shows_presumed_and_what_to_find_as_questions():
    out = _screen(SAMPLES / "jiaozuo" / "undetermined_historical_issue.yaml").replace("│", "")
    assert "严格结论：待定" in out and "尚需查明" in out
    assert "？" in out  # the facts to find are asked as questions


def test_detail_shows_the_full_view_with_ids():
    out = _screen(SAMPLES / "jiaozuo" / "waived_flood_emergency.yaml", "--detail")
    assert "审查过程" in out and "condition_no_major_loss" in out


def test_the_next_step_shows_a_late_deadline():
    out = _screen(SAMPLES / "chuzhou" / "waived_late_application_national_day.yaml")
    assert "下一步" in out and "已逾期" in out


@pytest.mark.parametrize("text, width", [
    ("从动机态度、客观条件、程序方法、性质程度、后果影响五个方面查清还原下列事实；情况复杂、内容敏感", 20),
    ("甲乙丙丁，戊己（庚辛）壬。", 8),
    ("案件编号：ABC-123（某某）、“引文”。", 10),
])
def test_fold_keeps_the_line_breaking_rules(text, width):
    from rich.cells import cell_len

    lines = fold(text, width)
    assert "".join(lines) == text
    assert all(cell_len(line) <= width for line in lines)
    assert all(line[0] not in NO_LINE_START for line in lines[1:])
    assert all(line[-1] not in NO_LINE_END for line in lines[:-1])


def test_fold_keeps_a_latin_word_whole_when_it_can():
    assert fold("安装命令补全（bash、PowerShell）。", 26) == ["安装命令补全（bash、", "PowerShell）。"]


def test_a_what_if_is_marked_as_such_on_the_one_screen_view():
    out = _screen(SAMPLES / "jiaozuo" / "reduced_industrial_project.yaml", "--set", "private_gain=是").replace("│", "")
    assert "假设推演：以下结论按假设的事实作出" in out
    assert "为自己、他人或单位谋取私利：否 → 是" in out


def test_a_presumption_that_leaves_the_case_open_is_not_shown_as_a_conclusion():
    out = _screen(SAMPLES / "national" / "undetermined_exploration.yaml")
    assert "严格结论：待定" in out and "推定结论" not in out
