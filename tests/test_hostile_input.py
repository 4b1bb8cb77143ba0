"""Hostile files (issue: attacks 5, 6 and 8): huge numbers, rulesets that reach for other files, floods.

Each is bad input: a positioned error and exit 1, never an internal error,
never content of a file that is not a ruleset, never a report longer than the file.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rongcuo_cli.cli import app
from rongcuo_cli.model.diagnostics import MAX_PER_FILE
from rongcuo_cli.load.yaml_source import MAX_INTEGER_DIGITS, MAX_NODES

from .conftest import ROOT, SAMPLES

runner = CliRunner()
CASE = SAMPLES / "jiaozuo" / "waived_flood_emergency.yaml"
RULES = ROOT / "tests" / "lint" / "warnings_only.yaml"
HUGE = "9" * 5000


def run(*args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "100", "NO_COLOR": "1"})


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# --- 5: huge integers -------------------------------------------------------------------

@pytest.mark.parametrize(("where", "edit"), [
    ("an unknown key's value", lambda text: text + f"extra: {HUGE}\n"),
    ("a known field", lambda text: text.replace("loss: minor", f"loss: {HUGE}")),
    ("a fact", lambda text: text.replace("force_majeure: true", f"force_majeure: -{HUGE}")),
    ("a list item", lambda text: text + f"evidence2: [{HUGE}]\n"),
])
def test_a_5000_digit_number_anywhere_is_a_positioned_input_error(tmp_path, where, edit):
    path = write(tmp_path, "case.yaml", edit(CASE.read_text(encoding="utf-8")))
    for command in (("assess", str(path), "-r", "jiaozuo"), ("validate", str(path))):
        result = run(*command)
        assert result.exit_code == 1, (where, result.output)
        assert "内部错误" not in result.output
        first = result.output.splitlines()[0]
        assert first.startswith(f"{path}:") and "错误[number-too-long] 数字过长（5,00" in first, first
        assert f"超过上限 {MAX_INTEGER_DIGITS} 位" in first


def test_a_huge_number_in_a_batch_is_an_error_record_not_an_internal_error(tmp_path):
    cases = tmp_path / "cases"
    cases.mkdir()
    write(cases, "huge.yaml", CASE.read_text(encoding="utf-8") + f"extra: {HUGE}\n")
    result = run("batch", str(cases), "-r", "jiaozuo", "-q", "--jobs", "1")
    assert result.exit_code == 1, result.output
    assert '"code":"number-too-long"' in result.stdout


def test_a_quoted_long_number_is_text(tmp_path):
    path = write(tmp_path, "case.yaml", CASE.read_text(encoding="utf-8").replace("case_id: JZ-2023-011", f"case_id: '{'1' * 200}'"))
    assert run("validate", str(path)).exit_code == 0


# --- 6: extends / versions reaching for other files ------------------------------------------

def ruleset_with(folder: Path, line: str) -> Path:
    text = RULES.read_text(encoding="utf-8").replace("short_title:", line + "\nshort_title:", 1)
    return write(folder, "mine.yaml", text)


@pytest.mark.parametrize("reference", ["extends: /etc/passwd", "extends: /proc/self/environ", "versions: [/etc/passwd]"])
def test_a_reference_to_a_non_yaml_file_is_refused_without_reading_it(tmp_path, reference):
    path = ruleset_with(tmp_path, reference)
    result = run("assess", str(CASE), "--ruleset", str(path))  # versions are read when a case is assessed
    assert result.exit_code == 1, result.output
    assert f"{path}:5:" in result.output and "错误[ruleset-reference]" in result.output
    assert "root:x" not in result.output and "PATH=" not in result.output


@pytest.mark.skipif(not Path("/etc/passwd").is_file(), reason="needs /etc/passwd")
@pytest.mark.parametrize("reference", ["extends: passwd.yaml", "versions: [passwd.yaml]"])
def test_a_yaml_named_link_to_a_foreign_file_is_reported_without_its_content(tmp_path, reference):
    (tmp_path / "passwd.yaml").symlink_to("/etc/passwd")
    path = ruleset_with(tmp_path, reference + ("\neffective: 2020-01-01\nlenity: {source: a, clause: b, quote: c}" if "versions" in reference else ""))
    result = run("assess", str(CASE), "--ruleset", str(path))
    assert result.exit_code == 1, result.output
    assert "错误[invalid-parent]" in result.output and "passwd.yaml" in result.output
    assert "root:x" not in result.output and "/bin/" not in result.output  # nothing of the file is quoted


def test_a_reference_to_an_oversized_yaml_file_is_refused(tmp_path):
    write(tmp_path, "big.yaml", "# " + "x" * (1024 * 1024 + 10) + "\n")
    result = run("validate", "--ruleset", str(ruleset_with(tmp_path, "extends: big.yaml")))
    assert result.exit_code == 1
    assert "错误[invalid-parent]" in result.output and "[too-large]" in result.output


# --- 8: floods of small problems ------------------------------------------------------------

def test_thousands_of_unknown_keys_are_listed_up_to_the_cap(tmp_path):
    keys = "".join(f"k{i}: 1\n" for i in range(5000))
    path = write(tmp_path, "case.yaml", CASE.read_text(encoding="utf-8") + keys)
    result = run("validate", str(path))
    assert result.exit_code == 1
    problems = [line for line in result.output.splitlines() if line.startswith(f"{path}:")]
    assert len(problems) == MAX_PER_FILE + 1
    assert problems[-1] == f"{path}: 错误[more-problems] …及另外 4,950 处同类问题（每个文件只列出前 {MAX_PER_FILE} 处）"


def test_a_file_under_the_size_limit_full_of_keys_is_answered_quickly(tmp_path):
    keys = "".join(f"key_number_{i:06d}: 1\n" for i in range(40000))  # ~0.9 MB, 80,000 nodes
    path = write(tmp_path, "case.yaml", CASE.read_text(encoding="utf-8") + keys)
    assert path.stat().st_size < 1024 * 1024
    env = {**os.environ, "NO_COLOR": "1"}
    result = subprocess.run([sys.executable, "-m", "rongcuo_cli", "validate", str(path)], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=20)
    assert result.returncode == 1
    assert f"错误[too-many-nodes] 文件的节点（键、值、列表项，别名按展开计）超过 {MAX_NODES} 个" in result.stdout
    assert len(result.stdout.splitlines()) < 10


def test_lint_findings_are_capped_and_an_error_left_out_still_counts(tmp_path):
    from rongcuo_cli.authoring.lint import _capped, _error, _warning
    from rongcuo_cli.model.diagnostics import Diagnostic

    findings = [_warning(Diagnostic(file="r.yaml", line=i, code="w", message="w")) for i in range(MAX_PER_FILE)]
    findings.append(_error(Diagnostic(file="r.yaml", line=999, code="e", message="e")))
    capped = _capped(findings)
    assert len(capped) == MAX_PER_FILE + 1
    assert capped[-1].diagnostic.code == "more-problems" and capped[-1].severity == "error"
