"""`extends`: a child ruleset overrides, removes and adds rules; errors have positions."""

from __future__ import annotations

from pathlib import Path

import pytest

from rongcuo_cli.load.case_file import case_model
from rongcuo_cli.model.diagnostics import UserError
from rongcuo_cli.engine.assess import assess
from rongcuo_cli.load.ruleset_loader import load_ruleset
from rongcuo_cli.load.vocabulary import load_vocabulary

CITE = "cites: {source: x.txt, clause: '1', quote: q}"

PARENT = f"""\
id: parent
title: 上级规则集
short_title: 上级
region: 测试
issuer: 测试
status: 试行
source: [x.txt]
coverage: 测试用
exclusions:
  - id: no_gain
    title: 谋取私利
    when: private_gain
    {CITE}
  - id: repeated_errors
    title: 同类问题连续出现
    when: repeated
    {CITE}
situations:
  - id: pilot
    title: 改革试点
    when: {{context: [reform_pilot]}}
    {CITE}
outcomes:
  - id: waived_minor
    outcome: waived
    title: 损失较小免除
    when: {{loss: [none, minor]}}
    {CITE}
  - id: fallback
    outcome: lighter
    title: 从轻
    {CITE}
"""

CHILD = f"""\
id: child
title: 下级规则集
short_title: 下级
region: 测试
issuer: 测试
status: 试行
source: [y.txt]
coverage: 测试用
extends: parent.yaml
remove: [repeated_errors]
situations:
  - id: pilot
    title: 改革试点或大胆探索（下级改写）
    when: {{context: [reform_pilot, innovation]}}
    {CITE}
  - id: emergency_task
    title: 急难险重任务
    when: {{context: [urgent_difficult_task]}}
    {CITE}
outcomes:
  - id: waived_diligent
    outcome: waived
    title: 履职尽责免除
    when: diligent
    {CITE}
"""


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _case(**fields):
    base = {"case_id": "T-1", "title": "测试案件", "subject": {"kind": "individual"}}
    return case_model().model_validate(base | fields)


@pytest.fixture
def child(tmp_path: Path) -> Path:
    _write(tmp_path, "parent.yaml", PARENT)
    return _write(tmp_path, "child.yaml", CHILD)


def test_child_overrides_in_place_removes_and_adds(child: Path):
    compiled = load_ruleset(str(child))
    ids = [(r.kind, r.rule.id, Path(r.origin.file).name) for r in compiled.rules]
    assert ids == [
        ("exclusion", "no_gain", "parent.yaml"),
        ("situation", "pilot", "child.yaml"),
        ("situation", "emergency_task", "child.yaml"),
        # the child's own outcome entry is tried before the inherited mapping
        ("outcome", "waived_diligent", "child.yaml"),
        ("outcome", "waived_minor", "parent.yaml"),
        ("outcome", "fallback", "parent.yaml"),
    ]
    assert compiled.files == (str(child), str(child.parent / "parent.yaml"))


def test_trail_names_the_file_each_rule_came_from(child: Path):
    ruling = assess(_case(context=["innovation"], loss="moderate", facts={"private_gain": False, "diligent": False}),
                    load_ruleset(str(child)), load_vocabulary())
    origins = {e.rule: Path(e.origin).name for e in ruling.trail}
    assert origins["no_gain"] == "parent.yaml"
    assert origins["pilot"] == "child.yaml"
    # the overriding situation (innovation) decides eligibility; the parent's fallback the outcome
    assert ruling.matched == ["pilot"]
    assert ruling.outcome == "lighter"
    assert "repeated_errors" not in origins


def test_removed_exclusion_no_longer_applies(child: Path):
    ruling = assess(_case(context=["reform_pilot"], loss="minor", facts={"private_gain": False, "repeated": True}),
                    load_ruleset(str(child)), load_vocabulary())
    assert ruling.exclusions == []
    assert ruling.outcome == "waived"


def test_extends_cycle_is_a_load_error_with_position(tmp_path: Path):
    _write(tmp_path, "a.yaml", PARENT.replace("id: parent", "id: aa").replace("coverage: 测试用", "coverage: 测试用\nextends: b.yaml"))
    _write(tmp_path, "b.yaml", PARENT.replace("id: parent", "id: bb").replace("coverage: 测试用", "coverage: 测试用\nextends: a.yaml"))
    with pytest.raises(UserError) as caught:
        load_ruleset(str(tmp_path / "a.yaml"))
    [problem] = caught.value.diagnostics
    assert problem.code == "extends-cycle"
    assert problem.line == 9 and problem.column is not None
    assert "aa → bb → aa" in problem.message


def test_unknown_parent_is_a_load_error_with_position(tmp_path: Path):
    path = _write(tmp_path, "orphan.yaml", CHILD.replace("extends: parent.yaml", "extends: nationl"))
    with pytest.raises(UserError) as caught:
        load_ruleset(str(path))
    [problem] = caught.value.diagnostics
    assert problem.code == "unknown-parent"
    assert (problem.file, problem.line) == (str(path), 9)
    assert "nationl" in problem.message
    assert "national" in (problem.hint or "")


def test_shipped_zhejiang_inherits_national_and_overrides_private_gain():
    compiled = load_ruleset("zhejiang")
    origin = {r.rule.id: r.origin.file for r in compiled.rules}
    assert origin["principle_1_knowing_violation"] == "rulesets/national.yaml"
    assert origin["principle_3_private_gain"] == "rulesets/zhejiang.yaml"
    assert compiled.files == ("rulesets/zhejiang.yaml", "rulesets/national.yaml")


def test_shipped_chuzhou_removes_national_situations():
    compiled = load_ruleset("chuzhou")
    situations = [r.rule.id for r in compiled.section("situation")]
    assert situations[0] == "situation_1_encouraged_exploration" and len(situations) == 7
    assert "redline_discipline_law" not in {r.rule.id for r in compiled.rules}


def test_parent_file_that_does_not_exist_is_unknown_parent(tmp_path: Path):
    path = _write(tmp_path, "child.yaml", CHILD.replace("extends: parent.yaml", "extends: ./missing.yaml"))
    with pytest.raises(UserError) as caught:
        load_ruleset(str(path))
    [problem] = caught.value.diagnostics
    assert (problem.code, problem.file, problem.line) == ("unknown-parent", str(path), 9)


def test_removing_a_rule_that_is_not_inherited_is_an_error_with_position(tmp_path: Path):
    _write(tmp_path, "parent.yaml", PARENT)
    path = _write(tmp_path, "child.yaml", CHILD.replace("remove: [repeated_errors]", "remove: [repeated_error]"))
    with pytest.raises(UserError) as caught:
        load_ruleset(str(path))
    [problem] = caught.value.diagnostics
    assert (problem.code, problem.line) == ("unknown-rule", 10)
    assert "repeated_errors" in (problem.hint or "")
