"""``rongcuo new`` and ``rongcuo facts``: a case file written by answering the ruleset's questions."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

import rongcuo_cli
from rongcuo_cli.cli import app
from rongcuo_cli.cli.exit_codes import ExitCode
from rongcuo_cli.engine.intake import Intake, facts_read, parse_answer, question_for
from rongcuo_cli.load.vocabulary import load_vocabulary

from .conftest import ROOT

HEADER = ["HN-2024-001", "某县改革试点项目未达预期", "单位", "某县发改局"]
EXCLUSIONS = {"private_gain", "knowingly_violated", "violates_prohibition", "defied_explicit_ban", "political_discipline_violation",
              "serious_integrity_violation", "corruption", "vanity_project", "serious_harm_to_public", "ignored_warning", "repeated",
              "inaction", "major_social_impact", "major_incident", "handling_required"}


def run_new(tmp_path, answers: list[str], *args: str):
    return CliRunner().invoke(app, ["new", "-r", "hunan", *args], input="".join(a + "\n" for a in answers))


def favourable(question) -> object:
    """An answer that keeps the case tolerable: exclusions absent, the rest present."""
    if question.name == "loss":
        return "minor"
    if question.name == "context":
        return [question.choices[0][1]]
    return question.name not in EXCLUSIONS


# --- the order of questions (engine, no terminal) ----------------------------------

@pytest.mark.parametrize("ruleset", rongcuo_cli.shipped_rulesets())
def test_intake_stops_once_settled_and_asks_fewer_than_all_facts(ruleset):
    vocab, compiled = load_vocabulary(), rongcuo_cli.load_ruleset(ruleset)
    intake = Intake(compiled, vocab, {"case_id": "X-1", "title": "测试", "subject": {"kind": "individual"}})
    asked = []
    while (question := intake.next_question()) is not None:
        assert question.name not in asked and question.name in intake.ruling().missing_facts
        asked.append(question.name)
        intake.answers[question.name] = favourable(question)
    assert intake.ruling().outcome != "undetermined"
    assert len(asked) < len(facts_read(compiled, vocab))  # questions that could no longer matter were skipped


def test_a_settling_answer_ends_the_intake_at_once():
    vocab, compiled = load_vocabulary(), rongcuo_cli.load_ruleset("jiaozuo")
    intake = Intake(compiled, vocab, {"case_id": "X-1", "title": "测试", "subject": {"kind": "individual"}})
    first = intake.next_question()
    assert first is not None and first.name == "loss"  # 重大 settles 不予容错 in jiaozuo: asked first
    intake.answers["loss"] = "major"
    assert intake.next_question() is None and intake.ruling().outcome == "not_tolerated"


def test_unsure_leaves_the_fact_unknown_and_is_never_asked_again():
    vocab, compiled = load_vocabulary(), rongcuo_cli.load_ruleset("hunan")
    intake = Intake(compiled, vocab, {"case_id": "X-1", "title": "测试", "subject": {"kind": "individual"}})
    seen = []
    while (question := intake.next_question()) is not None:
        seen.append(question.name)
        intake.answers[question.name] = None
    assert len(seen) == len(set(seen)) and intake.ruling().outcome == "undetermined"
    assert intake.case_data()["facts"] == {}


@pytest.mark.parametrize(("name", "typed", "value"), [
    ("private_gain", "是", True), ("private_gain", "否", False), ("private_gain", "不清楚", None),
    ("private_gain", "y", True), ("private_gain", "N", False),
    ("loss", "较小", "minor"), ("loss", "重特大", "severe"), ("loss", "不清楚", None),
    ("context", "改革试点，创新驱动", ["reform_pilot", "economic_transformation"]), ("context", "无", []),
])
def test_typed_answers(name, typed, value):
    vocab = load_vocabulary()
    assert parse_answer(question_for(name, rongcuo_cli.load_ruleset("jiaozuo"), vocab), typed, vocab) == value


@pytest.mark.parametrize(("name", "typed", "hint"), [("private_gain", "有", "请回答 是、否 或 不清楚"), ("loss", "较少", "是否想写 `较小`（minor）？")])
def test_typed_answers_that_mean_nothing_are_refused_with_a_hint(name, typed, hint):
    vocab = load_vocabulary()
    with pytest.raises(ValueError, match=hint.replace("?", r"\?").replace("(", r"\(")):
        parse_answer(question_for(name, rongcuo_cli.load_ruleset("jiaozuo"), vocab), typed, vocab)


# --- rongcuo new, answers piped ------------------------------------------------------

PIPED = [*HEADER, "否", "是", "是", "改革试点", "是", "否", "否", "较小"]


def test_piped_answers_write_a_valid_case_that_assesses_as_answered(tmp_path):
    out = tmp_path / "case.yaml"
    result = run_new(tmp_path, PIPED, "-o", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "# 是否为自己、他人或单位谋取了私利？（private_gain）\n  private_gain: 否" in text
    assert "loss: 较小" in text and "context: [改革试点、先行先试、探索性试验]" in text and "kind: unit" in text
    assert "认定建议：免除（waived）" in result.stderr
    assert CliRunner().invoke(app, ["validate", str(out), "-r", "hunan"]).exit_code == 0
    assert rongcuo_cli.assess(out, "hunan").outcome == "waived"
    case = rongcuo_cli.load_case(out)
    assert case.loss == "minor" and case.context == ["reform_pilot"] and case.fact_values["private_gain"] is False


def test_without_output_the_case_goes_to_standard_output(tmp_path):
    result = run_new(tmp_path, PIPED)
    assert result.exit_code == 0 and result.stdout.startswith("# 容错纠错案件（rongcuo new --ruleset hunan）")


def test_an_answer_that_settles_stops_the_questions(tmp_path):
    out = tmp_path / "case.yaml"
    result = run_new(tmp_path, [*HEADER, "是"], "-o", str(out))  # 谋取私利 → 不予容错
    assert result.exit_code == 0, result.output
    assert "认定建议：不予容错（not_tolerated）" in result.stderr
    assert "private_gain: 是" in out.read_text(encoding="utf-8") and "collective_decision" not in out.read_text(encoding="utf-8")


def test_input_ending_early_writes_nothing(tmp_path):
    out = tmp_path / "case.yaml"
    result = run_new(tmp_path, HEADER[:3], "-o", str(out))
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert "输入在回答完问题之前结束：未写出案件文件" in result.stderr and not out.exists()


def test_a_meaningless_answer_is_a_positioned_error_and_writes_nothing(tmp_path):
    out = tmp_path / "case.yaml"
    result = run_new(tmp_path, [*HEADER, "有"], "-o", str(out))
    assert result.exit_code == ExitCode.INVALID_INPUT and not out.exists()
    assert "<标准输入>:5: 错误[answer] 第 5 行的回答 `有` 不能回答" in result.stderr and "请回答 是、否 或 不清楚" in result.stderr


def test_an_existing_file_is_refused_unless_forced(tmp_path):
    out = tmp_path / "case.yaml"
    out.write_text("旧内容\n", encoding="utf-8")
    refused = run_new(tmp_path, PIPED, "-o", str(out))
    assert refused.exit_code == ExitCode.USAGE and "输出文件已存在" in refused.stderr and "--force" in refused.stderr
    assert out.read_text(encoding="utf-8") == "旧内容\n"
    assert run_new(tmp_path, PIPED, "-o", str(out), "--force").exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("# 容错纠错案件")


def test_the_ruleset_file_is_never_overwritten(tmp_path):
    ruleset = tmp_path / "my.yaml"
    ruleset.write_text((ROOT / "rulesets" / "hunan.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    result = CliRunner().invoke(app, ["new", "-r", str(ruleset), "-o", str(ruleset), "--force"], input="")
    assert result.exit_code == ExitCode.USAGE and "output-is-input" in result.stderr


def test_template_writes_every_question_without_asking(tmp_path):
    out = tmp_path / "blank.yaml"
    result = CliRunner().invoke(app, ["new", "-r", "jiaozuo", "--template", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    vocab = load_vocabulary()
    for name in facts_read(rongcuo_cli.load_ruleset("jiaozuo"), vocab):
        assert f"{vocab.question(name)}（{name}）" in text
    assert "# 【动机态度】" in text and "# 【后果影响】" in text
    filled = text.replace("case_id:\n", "case_id: JZ-1\n").replace("title:\n", "title: 测试\n")
    out.write_text(filled, encoding="utf-8")
    assert CliRunner().invoke(app, ["validate", str(out)]).exit_code == 0  # blanks are unknown facts
    assert rongcuo_cli.assess(out, "jiaozuo").outcome == "undetermined"


def test_ctrl_c_mid_intake_writes_nothing_and_exits_130(tmp_path):
    """A real interrupt: the process is sent SIGINT while it waits for the next answer."""
    import signal
    import time

    out = tmp_path / "case.yaml"
    proc = subprocess.Popen([sys.executable, "-m", "rongcuo_cli", "new", "-r", "hunan", "-o", str(out)],
                            stdin=subprocess.PIPE, stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdin is not None and proc.stderr is not None
    proc.stdin.write(HEADER[0] + "\n")
    proc.stdin.flush()
    while "案件编号" not in proc.stderr.readline():  # the first answer was read: it now waits for the second
        pass
    time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == ExitCode.INTERRUPTED and "已中断：未写出案件文件" in err and not out.exists()


# --- rongcuo facts -------------------------------------------------------------------

def test_facts_lists_what_the_ruleset_reads_grouped_by_dimension():
    result = CliRunner().invoke(app, ["facts", "-r", "hunan"], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    out = result.output
    headings = [out.index(f"【{d}】") for d in ("动机态度", "客观条件", "程序方法", "性质程度")]
    assert headings == sorted(headings)
    assert "是否为自己、他人或单位谋取了私利？" in out and "knowingly_violated" not in out  # hunan never reads it


def test_facts_json_includes_facts_read_through_rule_references():
    result = CliRunner().invoke(app, ["facts", "-r", "jiaozuo", "--json"])
    entries = json.loads(result.stdout)
    vocab = load_vocabulary()
    compiled = rongcuo_cli.load_ruleset("jiaozuo")
    read = {n for rule in compiled.rules for n in rule.reads_all}
    assert [e["name"] for e in entries] == [n for d in vocab.dimensions for n in facts_read(compiled, vocab) if vocab.dimension_of(n) == d]
    assert {e["name"] for e in entries} >= {n for n in read if ":" not in n}
    loss = next(e for e in entries if e["name"] == "loss")
    assert loss["values"][:5] == ["无", "较小", "较大", "重大", "重特大"] and "minor" in loss["values"]
    assert next(e for e in entries if e["name"] == "private_gain")["dimension_label"] == "动机态度"


def test_questionary_is_not_imported_unless_a_terminal_asks():
    code = "import sys; from rongcuo_cli.cli import app; print('questionary' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env={**os.environ})
    assert result.stdout.strip() == "False"
