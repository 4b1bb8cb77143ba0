"""``rongcuo new`` in a pseudo-terminal: real questionary prompts, driven by keys as a person would press them."""

from __future__ import annotations

import os
import re
import sys

import pytest

import rongcuo_cli
from rongcuo_cli.load.vocabulary import load_vocabulary

pexpect = pytest.importorskip("pexpect")

UP, DOWN, ENTER, SPACE = "\x1b[A", "\x1b[B", "\r", " "
TIMEOUT = 60  # generous: the machine may be busy; nothing here measures time


def _keys_for(vocab) -> dict[str, str]:
    """Each hunan question's text → the keys that answer it (favourably).

    The cursor starts on 不清楚, always the last choice: 否 is one up, 是 two up.
    """
    no, yes = UP + ENTER, UP + UP + ENTER
    return {
        vocab.question("private_gain"): no,
        vocab.question("violates_prohibition"): no,
        vocab.question("handling_required"): no,
        vocab.question("policy_change"): no,
        vocab.question("actively_remedied"): yes,
        vocab.question("collective_decision"): yes,
        vocab.question("cooperated"): yes,
        vocab.question("context"): SPACE + ENTER,  # tick the first situation offered (改革试点…)
        vocab.question("loss"): UP * (len(vocab.loss.levels) - 1) + ENTER,  # 较小, the second level
        vocab.question("body"): UP * len(vocab.body.values) + ENTER,  # the first kind
    }


def spawn_new(out):
    """``rongcuo new`` in a pseudo-terminal; no cursor-position queries, which a pexpect terminal never answers."""
    env = {**os.environ, "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm", "NO_COLOR": "1"}
    return pexpect.spawn(sys.executable, ["-m", "rongcuo_cli", "new", "-r", "hunan", "-o", str(out)],
                         env=env, encoding="utf-8", timeout=TIMEOUT, dimensions=(40, 200))


def test_new_in_a_terminal_writes_a_case_that_validates_and_assesses(tmp_path):
    out = tmp_path / "case.yaml"
    child = spawn_new(out)
    try:
        child.expect("案件编号")
        child.send("HN-TTY-1" + ENTER)
        child.expect("案件标题")
        child.send("终端录入的测试案件" + ENTER)
        child.expect("个人还是单位")
        child.send(DOWN + ENTER)  # 单位
        child.expect("姓名或单位名称")
        child.send(ENTER)  # left empty
        keys = _keys_for(load_vocabulary())
        questions = list(keys)
        answered = []
        while True:
            found = child.expect([re.escape(q) for q in questions] + ["已写入", pexpect.EOF])
            if found >= len(questions):
                break
            if questions[found] in answered:
                continue  # the prompt redrawn with its answer: each question is asked once
            answered.append(questions[found])
            child.send(keys[questions[found]])
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0, child.before
    assert len(answered) >= 3
    case = rongcuo_cli.load_case(out)
    assert case.case_id == "HN-TTY-1" and case.subject.kind == "unit" and case.subject.name is None
    assert case.fact_values.get("private_gain") is False
    assert rongcuo_cli.assess(out, "hunan").outcome == "waived", (answered, out.read_text(encoding="utf-8"))


def test_ctrl_c_in_a_terminal_writes_nothing(tmp_path):
    out = tmp_path / "case.yaml"
    child = spawn_new(out)
    try:
        child.expect("案件编号")
        child.sendintr()
        child.expect("已中断：未写出案件文件")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 130 and not out.exists()
