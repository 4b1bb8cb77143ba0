"""`rongcuo explain`: one rule's evaluation tree, consistent with the ruling."""

from __future__ import annotations

import textwrap

import pytest
from typer.testing import CliRunner

from rongcuo_cli.load.case_file import load_case
from rongcuo_cli.cli import app
from rongcuo_cli.engine.assess import assess, environment
from rongcuo_cli.engine.explain import explain_rule
from rongcuo_cli.load.ruleset_loader import load_ruleset
from rongcuo_cli.model.tristate import Tri
from rongcuo_cli.load.vocabulary import load_vocabulary

from .conftest import SAMPLES

runner = CliRunner()
UNDETERMINED = SAMPLES / "jiaozuo" / "undetermined_historical_issue.yaml"
REDUCED = SAMPLES / "jiaozuo" / "reduced_industrial_project.yaml"


def run(*args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "120", "NO_COLOR": "1"})


def test_tree_shows_each_node_result_and_leaf_value():
    result = run("explain", str(UNDETERMINED), "general_collective_decision", "-r", "jiaozuo")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith("【未知】general_collective_decision：")
    assert "【未知】至少一项成立" in result.output
    assert "【未知】collective_decision（经集体研究、民主决策程序=未知）" in result.output
    assert "【未知】emergency（紧急情况临时处置=未知）" in result.output


def test_tree_with_loss_and_override():
    result = run("explain", str(REDUCED), "exclusion_2_major_loss", "-r", "jiaozuo", "--set", "loss=severe")
    assert result.exit_code == 0
    assert result.output.startswith("【是】exclusion_2_major_loss")
    assert "【是】损失程度属于 major、severe（loss=重特大）" in result.output


@pytest.mark.parametrize("path", sorted((SAMPLES / "jiaozuo").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_tree_agrees_with_the_trail(path):
    case, ruleset, vocab = load_case(path), load_ruleset("jiaozuo"), load_vocabulary()
    env = environment(case, vocab)
    for entry in assess(case, ruleset, vocab).trail:
        assert explain_rule(ruleset, entry.rule, env).result == entry.result


def test_rule_references_are_expanded(tmp_path):
    path = tmp_path / "refs.yaml"
    path.write_text(textwrap.dedent("""\
        id: refs
        title: 引用测试
        short_title: 引用
        region: 测试
        issuer: 测试
        status: 测试
        source: [测试用文本]
        extends: jiaozuo
        coverage: 测试规则引用的展开。
        requirements:
          - id: requirement_clean
            title: 不谋私利且未被排除
            when: {all: [{rule: general_no_private_gain}, {not: {rule: exclusion_4_repeated}}]}
            cites: {source: 测试用文本, clause: 一, quote: 测试。}
        """), encoding="utf-8")
    env = environment(load_case(REDUCED), load_vocabulary())
    tree = explain_rule(load_ruleset(str(path)), "requirement_clean", env)
    referenced = tree.children[0].children[0]
    assert referenced.kind == "rule" and referenced.label.startswith("general_no_private_gain")
    assert referenced.result is Tri.TRUE and referenced.children[0].kind == "not"
    assert tree.result is Tri.TRUE


def test_unknown_rule_is_a_usage_error_with_did_you_mean():
    result = run("explain", str(REDUCED), "exclusion_2_major_los", "-r", "jiaozuo")
    assert result.exit_code == 2
    assert "没有规则 `exclusion_2_major_los`" in result.output and "exclusion_2_major_loss" in result.output


def test_bad_case_file_is_invalid_input(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("case_id: X\n", encoding="utf-8")
    assert run("explain", str(bad), "exclusion_2_major_loss", "-r", "jiaozuo").exit_code == 1
