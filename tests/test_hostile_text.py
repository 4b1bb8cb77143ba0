"""Hostile text in files (issue: attacks 1 and 4): control characters and formulas never act.

A case title, a fact key, a ruleset title or a file name may hold terminal
escapes (ESC, the C1 CSI U+009B) or bidi overrides; the screen and messages
show them escaped, JSON escapes them as ``\\u`` sequences and decodes to the
same text, CSV escapes them and defuses cells a spreadsheet would run.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from rongcuo_cli.cli import app

from .conftest import SAMPLES

runner = CliRunner()
BASE = SAMPLES / "jiaozuo" / "waived_flood_emergency.yaml"
TITLE_LINE = "title: 某乡镇在特大暴雨中紧急转移群众时临时征用民房造成财产损失"
# The title: OSC (retitle the terminal), BEL, SGR red, and a C1 CSI; plus a bidi override.
HOSTILE_TITLE = "标题\x1b]0;pwned\x07\x1b[31m红\x9b31m\u202e末"
RAW = ("\x1b", "\x07", "\x9b", "\u202e")


def run(*args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "100", "NO_COLOR": "1"})


def hostile_case(folder: Path, name: str = "case.yaml", *, title: str = HOSTILE_TITLE, case_id: str | None = None, extra: str = "") -> Path:
    text = BASE.read_text(encoding="utf-8")
    assert TITLE_LINE in text
    text = text.replace(TITLE_LINE, "title: " + json.dumps(title))
    if case_id is not None:
        text = text.replace("case_id: JZ-2023-011", "case_id: " + json.dumps(case_id))
    path = folder / name
    path.write_text(text + extra, encoding="utf-8")
    return path


def assert_nothing_raw(text: str) -> None:
    for char in RAW:
        assert char not in text, f"raw U+{ord(char):04X} in output"


def test_screen_shows_the_title_escaped_even_without_colour(tmp_path):
    result = run("assess", str(hostile_case(tmp_path)), "-r", "jiaozuo", "--no-color")
    assert result.exit_code == 0, result.output
    assert_nothing_raw(result.output)
    assert "标题\\x1b]0;pwned\\x07\\x1b[31m红\\x9b31m\\u202e末" in result.output


def test_json_escapes_c0_c1_and_bidi_and_decodes_to_the_same_title(tmp_path):
    result = run("assess", str(hostile_case(tmp_path)), "-r", "jiaozuo", "--json")
    assert result.exit_code == 0
    assert_nothing_raw(result.output)
    assert "\\u009b31m" in result.output and "\\u202e" in result.output and "\\u001b" in result.output
    assert json.loads(result.output)["case_title"] == HOSTILE_TITLE


def test_messages_escape_fact_keys_and_file_names(tmp_path):
    path = hostile_case(tmp_path, "ca\x1b[2Jse.yaml")
    path.write_text(path.read_text(encoding="utf-8").replace("facts:\n", 'facts:\n  "fa\\x9bct\\u202e": true\n'), encoding="utf-8")
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert_nothing_raw(result.output)
    assert "ca\\x1b[2Jse.yaml:" in result.output
    assert "未知的字段 `fa\\x9bct\\u202e`" in result.output


def test_ruleset_text_is_escaped_on_screen(tmp_path):
    rules = (SAMPLES.parent / "tests" / "lint" / "warnings_only.yaml").read_text(encoding="utf-8")
    path = tmp_path / "mine.yaml"
    path.write_text(rules.replace("title: 只有警告的规则集（供 rulesets check 测试）", 'title: "只有\\e[5m警告\\u2066的规则集"'), encoding="utf-8")
    result = run("rulesets", "show", str(path), "--no-color")
    assert result.exit_code == 0, result.output
    assert "只有\\x1b[5m警告\\u2066的规则集" in result.output
    assert "\x1b" not in result.output and "\u2066" not in result.output


def test_batch_records_escape_controls_in_every_format(tmp_path):
    cases = tmp_path / "cases"
    cases.mkdir()
    hostile_case(cases)
    for fmt in ("jsonl", "json", "csv"):
        out = tmp_path / f"out.{fmt}"
        result = run("batch", str(cases), "-r", "jiaozuo", "-o", str(out), "-q", "--jobs", "1")
        assert result.exit_code == 0, result.output
        written = out.read_text(encoding="utf-8")
        assert_nothing_raw(written)
        if fmt != "csv":
            record = json.loads(written) if fmt == "json" else json.loads(written.splitlines()[0])
            first = record[0] if fmt == "json" else record
            assert first["case_title"] == HOSTILE_TITLE


def test_csv_defuses_formulas_but_keeps_plain_numbers(tmp_path):
    cases = tmp_path / "cases"
    cases.mkdir()
    hostile_case(cases, "a.yaml", title="正常标题", case_id='=HYPERLINK("http://example.invalid","x")')
    hostile_case(cases, "b.yaml", title="正常标题", case_id="-5")
    hostile_case(cases, "c.yaml", title="正常标题", case_id="@SUM(A1)")
    hostile_case(cases, "d.yaml", title="正常标题", case_id="+3.5")
    hostile_case(cases, "e.yaml", title="正常标题", case_id="-2+3+cmd|x")
    out = tmp_path / "out.csv"
    result = run("batch", str(cases), "-r", "jiaozuo", "-o", str(out), "-q", "--jobs", "1")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    ids = {Path(row["file"]).name: row["case_id"] for row in rows}
    assert ids == {
        "a.yaml": "'=HYPERLINK(\"http://example.invalid\",\"x\")",
        "b.yaml": "-5",
        "c.yaml": "'@SUM(A1)",
        "d.yaml": "+3.5",
        "e.yaml": "'-2+3+cmd|x",
    }


def test_an_unknown_format_named_with_escapes_is_shown_escaped(tmp_path):
    result = run("batch", str(BASE), "-r", "jiaozuo", "-f", "x\x1b[31m")
    assert result.exit_code == 2
    assert "\x1b" not in result.output and "x\\x1b[31m" in result.output
