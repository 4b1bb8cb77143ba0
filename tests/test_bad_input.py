"""Bad input in case files and rulesets: every problem positioned, never a crash.

Each test writes the kind of file people really produce (GBK from an old editor,
a BOM, a tab, a pasted second document, a hostile alias bomb) and checks what
the loader reports: code, 1-based line and column, message and hint.
"""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from rongcuo_cli.load import yaml_source
from rongcuo_cli.load.case_file import load_case
from rongcuo_cli.model.diagnostics import Diagnostic, UserError
from rongcuo_cli.engine.assess import assess
from rongcuo_cli.load.ruleset_loader import load_ruleset
from rongcuo_cli.load.vocabulary import load_vocabulary

from .conftest import ROOT

VALID = (
    "case_id: T-1\n"
    "title: 某乡镇紧急转移群众\n"
    "subject:\n"
    "  kind: individual\n"
    "  body: township\n"
    "dates:\n"
    "  occurred: 2023-07-30\n"
    "context: [emergency_response]\n"
    "loss: minor\n"
    "facts:\n"
    "  force_majeure: true\n"
    "  private_gain: false\n"
)


def problems(tmp_path: Path, content: str | bytes, name: str = "case.yaml") -> list[Diagnostic]:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(UserError) as caught:
        load_case(path)
    return caught.value.diagnostics


def only(tmp_path: Path, content: str | bytes) -> Diagnostic:
    found = problems(tmp_path, content)
    assert len(found) == 1, [d.plain() for d in found]
    return found[0]


def ruling_json(path: Path) -> str:
    from rongcuo_cli.cli.output import to_json

    return to_json(assess(load_case(path), load_ruleset("jiaozuo"), load_vocabulary()))


# --- YAML syntax --------------------------------------------------------------------------


def test_syntax_error_has_position_source_line_and_what_was_expected(tmp_path):
    found = only(tmp_path, "case_id: T-1\ntitle: 会议纪要: 第3号\n")
    assert (found.line, found.column, found.code) == (2, 12, "yaml-syntax")
    assert "此处不能出现“键: 值”" in found.message and "mapping values are not allowed here" in found.message
    assert found.source_line == "title: 会议纪要: 第3号"


def test_tab_indentation_is_explained(tmp_path):
    found = only(tmp_path, "case_id: T-1\nsubject:\n\tkind: unit\n")
    assert (found.line, found.column) == (3, 1)
    assert "不能用 Tab" in found.message
    assert found.source_line == "\tkind: unit"


def test_unclosed_list_says_what_is_missing(tmp_path):
    found = only(tmp_path, "case_id: T-1\ncontext: [emergency_response\n")
    assert found.code == "yaml-syntax" and found.line == 3
    assert "方括号列表 [...] 没有闭合" in found.message and "',' or ']'" in found.message


def test_bad_indentation_is_explained(tmp_path):
    found = only(tmp_path, "case_id: T-1\nsubject:\n  kind: unit\n name: x\n")
    assert (found.line, found.column) == (4, 2)
    assert "缩进不一致" in found.message


# --- document shape -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "found"),
    [("", "空文件"), ("# 只有注释\n", "空文件"), ("就一句话\n", "文本 `就一句话`"), ("- a\n- b\n", "列表"), ("42\n", "数字 42")],
)
def test_top_level_must_be_a_mapping(tmp_path, content, found):
    problem = only(tmp_path, content)
    assert problem.code == "schema" and (problem.line, problem.column) == (1, 1)
    assert problem.message == f"案件文件的顶层应为映射（键: 值），实际是{found}"


def test_several_documents_in_one_file_are_refused_at_the_second(tmp_path):
    problem = only(tmp_path, VALID + "---\n" + VALID)
    assert (problem.code, problem.line, problem.column) == ("several-documents", VALID.count("\n") + 1, 1)
    assert "只能有一个 YAML 文档" in problem.message


def test_duplicate_key_points_at_the_second_and_names_the_first(tmp_path):
    problem = only(tmp_path, VALID + "  private_gain: true\n")
    assert problem.code == "duplicate-key"
    assert (problem.line, problem.column) == (13, 3)
    assert problem.message == "重复的键：private_gain"
    assert "第 12 行已有同名的键" in problem.hint


def test_list_where_a_mapping_is_expected(tmp_path):
    problem = only(tmp_path, VALID.replace("facts:\n  force_majeure: true\n  private_gain: false\n", "facts: [force_majeure]\n"))
    assert (problem.line, problem.column) == (10, 8)
    assert problem.message == "`facts` 应为映射（键: 值），实际是列表"


def test_non_text_keys_are_named(tmp_path):
    found = problems(tmp_path, VALID + "1: a\nnull: b\n")
    assert [(d.code, d.line, d.message) for d in found] == [
        ("key-type", 13, "键 `1` 不是文本"),
        ("key-type", 14, "键 `null` 不是文本"),
    ]


def test_complex_keys_are_refused(tmp_path):
    problem = only(tmp_path, VALID + "? [a, b]\n: 1\n")
    assert problem.code == "yaml-key" and problem.line == 13


# --- values -------------------------------------------------------------------------------


def test_all_errors_of_a_file_at_once_in_position_order(tmp_path):
    text = (
        "case_id: ''\n"
        "title: 测试\n"
        "subject:\n"
        "  kind: person\n"
        "dates:\n"
        "  occurred: 2023-02-30\n"
        "loss: hueg\n"
        "context: [emergncy_response]\n"
        "facts:\n"
        "  privat_gain: false\n"
        "  emergency: 有\n"
        "sumary: 略\n"
    )
    found = problems(tmp_path, text)
    assert [(d.line, d.column, d.code) for d in found] == [
        (1, 10, "value"), (4, 9, "value"), (6, 13, "type"), (7, 7, "value"),
        (8, 11, "value"), (10, 3, "unknown-key"), (11, 14, "type"), (12, 1, "unknown-key"),
    ]
    by_line = {d.line: d for d in found}
    assert by_line[1].message == "`case_id` 不能为空"
    assert "允许：individual、unit" in by_line[4].message
    assert by_line[6].hint.startswith("`2023-02-30` 这一天不存在")
    assert "允许：none（无）、minor（较小）、moderate（较大）、major（重大）、severe（重特大）" in by_line[7].message
    assert by_line[8].hint == "是否想写 `处置突发事件`（emergency_response）？"
    assert by_line[10].hint == "是否想写 `private_gain`？"
    assert by_line[11].hint.startswith("把 `有` 改为 是（或 true）")
    assert by_line[12].hint == "是否想写 `summary`？"


# 是/否/不清楚 are accepted (tests/test_chinese_values.py); the ambiguous words stay refused.
@pytest.mark.parametrize(("written", "fix"), [("yes", "是（或 true）"), ("No", "否（或 false）"), ("有", "是（或 true）"), ("无", "否（或 false）"), ("对", "是（或 true）"), ("y", "是（或 true）"), ("1", "是（或 true）"), ("0", "否（或 false）"), ("off", "否（或 false）")])
def test_ambiguous_yes_no_words_are_refused_with_the_exact_fix(tmp_path, written, fix):
    problem = only(tmp_path, VALID.replace("force_majeure: true", f"force_majeure: {written}"))
    assert problem.message == f"`facts.force_majeure` 应为 是/否（或 true/false），实际是 `{written}`"
    assert problem.hint.startswith(f"把 `{written}` 改为 {fix}。")


@pytest.mark.parametrize("written", ["未知", "unknown", "不详"])
def test_unknown_written_as_another_word_points_to_buqingchu(tmp_path, written):
    problem = only(tmp_path, VALID.replace("force_majeure: true", f"force_majeure: {written}"))
    assert problem.hint == "不清楚的事实请写 不清楚，或删去这一行，视为未知"


@pytest.mark.parametrize("written", ["True", "TRUE", "true"])
def test_yaml_booleans_in_any_case_are_accepted(tmp_path, written):
    path = tmp_path / "case.yaml"
    path.write_text(VALID.replace("force_majeure: true", f"force_majeure: {written}").replace("private_gain: false", "private_gain: FALSE"), encoding="utf-8")
    case = load_case(path)
    assert case.fact_values == {"force_majeure": True, "private_gain": False}


def test_null_fact_is_unknown_not_false(tmp_path):
    path = tmp_path / "case.yaml"
    path.write_text(VALID.replace("force_majeure: true", "force_majeure:"), encoding="utf-8")
    assert "force_majeure" not in load_case(path).fact_values


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        ("'2023-07-30'", "去掉引号，写成 2023-07-30"),
        ("2023-07-30 10:00:00", "只写日期，不写时间：2023-07-30"),
        ("2023-13-01", "`2023-13-01` 这一天不存在"),
        ("上周", "日期写成 YYYY-MM-DD"),
    ],
)
def test_dates_that_are_not_dates(tmp_path, written, hint):
    problem = only(tmp_path, VALID.replace("occurred: 2023-07-30", f"occurred: {written}"))
    assert (problem.line, problem.column) == (7, 13)
    assert problem.message.startswith("`dates.occurred` 应为日期")
    assert problem.hint.startswith(hint)


# --- encodings ----------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_encodings_read_correctly_and_give_the_same_ruling(tmp_path, encoding):
    reference = tmp_path / "utf8.yaml"
    reference.write_text(VALID, encoding="utf-8")
    other = tmp_path / f"{encoding}.yaml"
    other.write_bytes(VALID.encode(encoding))
    assert load_case(other).title == "某乡镇紧急转移群众"
    assert ruling_json(other) == ruling_json(reference)


def test_undecodable_bytes_give_line_and_column(tmp_path):
    problem = only(tmp_path, VALID.encode("utf-8") + b"x: \xff\xfe\x80\n")
    assert problem.code == "encoding"
    assert (problem.line, problem.column) == (13, 4)
    assert "无法解码的字节 0xff" in problem.message and problem.hint == "请用 UTF-8 编码另存该文件"


@pytest.mark.parametrize("encoding", ["big5", "shift_jis"])
def test_other_east_asian_encodings_are_refused_not_shown_as_mojibake(tmp_path, encoding):
    text = VALID.replace("某乡镇紧急转移群众", "緊急轉移群眾時臨時徵用民房" if encoding == "big5" else "緊急時の臨時措置について")
    problem = only(tmp_path, text.encode(encoding))
    assert problem.code == "encoding" and problem.line == 2
    assert "可能是 Big5、Shift-JIS 等其他编码" in problem.message


def test_latin1_is_refused(tmp_path):
    problem = only(tmp_path, (VALID.replace("某乡镇紧急转移群众", "Flood") + "summary: café, déjà vu\n").encode("latin-1"))
    assert problem.code == "encoding" and problem.line == 13


def test_nul_bytes_are_a_positioned_error(tmp_path):
    problem = only(tmp_path, VALID.replace("title: 某", "title: \x00某"))
    assert (problem.code, problem.line, problem.column) == ("control-character", 2, 8)
    assert "U+0000" in problem.message and "UTF-16" in problem.hint


# --- resource limits ----------------------------------------------------------------------


def test_file_above_the_size_limit_is_refused_before_parsing(tmp_path):
    # Not even valid YAML: refusing it by size proves nothing was parsed.
    problem = only(tmp_path, b"[" * (yaml_source.MAX_FILE_BYTES + 1))
    assert problem.code == "too-large" and problem.line is None
    assert f"超过上限 {yaml_source.MAX_FILE_BYTES} 字节" in problem.message


def test_check_limits_is_reusable_on_raw_bytes():
    yaml_source.check_limits(b"x" * yaml_source.MAX_FILE_BYTES, "ok.yaml")
    with pytest.raises(UserError) as caught:
        yaml_source.check_limits(b"x" * (yaml_source.MAX_FILE_BYTES + 1), "big.yaml")
    assert caught.value.diagnostics[0].code == "too-large"


def billion_laughs(levels: int = 9) -> str:
    lines = ["lol0: &lol0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, levels + 1):
        lines.append(f"lol{level}: &lol{level} [" + ", ".join([f"*lol{level - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused_with_bounded_memory(tmp_path):
    tracemalloc.start()
    try:
        problem = only(tmp_path, billion_laughs())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert problem.code == "too-many-nodes"
    assert "别名炸弹" in problem.hint
    assert peak < 20 * 1024 * 1024  # 10**10 nodes if expanded; refused after reading ~1 KB


@pytest.mark.parametrize(
    ("text", "code", "line"),
    [("a: &x {k: *x}\n", "recursive-alias", 1), ("a: &x 1\nb: &x 2\nc: *x\n", "duplicate-anchor", 2)],
)
def test_confusing_anchors_are_refused(tmp_path, text, code, line):
    problem = only(tmp_path, text)
    assert (problem.code, problem.line) == (code, line)


def test_aliases_within_the_budget_still_work():
    doc = yaml_source.parse("a: &x {k: [1, 2]}\nb: *x\nc: &t true\nd: *t\n", "f.yaml")
    assert doc.data == {"a": {"k": [1, 2]}, "b": {"k": [1, 2]}, "c": True, "d": True}


@pytest.mark.parametrize("text", ["a: " + "[" * 5000 + "]" * 5000 + "\n", "".join("  " * i + f"k{i}:\n" for i in range(200))])
def test_deep_nesting_is_refused_not_a_recursion_error(tmp_path, text):
    problem = only(tmp_path, text)
    assert problem.code == "too-deep" and f"超过上限 {yaml_source.MAX_DEPTH} 层" in problem.message
    assert problem.line is not None and problem.source_line is not None


def test_check_events_works_on_any_pyyaml_style_event_stream():
    from ruamel.yaml import YAML

    events = YAML(typ="rt").parse(billion_laughs(3))  # 10**4 nodes: inside the budget
    yaml_source.check_events(events, "f.yaml")
    with pytest.raises(UserError):
        yaml_source.check_events(YAML(typ="rt").parse(billion_laughs(6)), "f.yaml")


# --- tags ---------------------------------------------------------------------------------


def test_python_and_custom_tags_are_refused_everywhere_in_a_case(tmp_path):
    marker = tmp_path / "pwned"
    text = VALID.replace("title: 某乡镇紧急转移群众", f"title: !!python/object/apply:os.system ['touch {marker}']") + "summary: !custom 略\nevidence: !!set {a, b}\n"
    found = problems(tmp_path, text)
    assert [(d.code, d.line, d.column) for d in found] == [("yaml-tag", 2, 8), ("yaml-tag", 13, 10), ("yaml-tag", 14, 11)]
    assert "`!!python/object/apply:os.system`" in found[0].message
    assert "`!custom`" in found[1].message and "`!!set`" in found[2].message
    assert not marker.exists()


def test_tagged_mapping_no_longer_passes_silently(tmp_path):
    problem = only(tmp_path, VALID.replace("subject:\n", "subject: !!python/object:types.SimpleNamespace\n"))
    assert (problem.code, problem.line) == ("yaml-tag", 3)


def test_str_tag_is_harmless_and_accepted(tmp_path):
    path = tmp_path / "case.yaml"
    path.write_text(VALID.replace("case_id: T-1", "case_id: !!str 2023"), encoding="utf-8")
    assert load_case(path).case_id == "2023"


# --- user rulesets by path ----------------------------------------------------------------

JIAOZUO = (ROOT / "rulesets" / "jiaozuo.yaml").read_text(encoding="utf-8")


def ruleset_problems(tmp_path: Path, text: str) -> list[Diagnostic]:
    path = tmp_path / "my.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UserError) as caught:
        load_ruleset(str(path))
    return caught.value.diagnostics


def line_of(text: str, fragment: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


def test_user_ruleset_unknown_fact_is_positioned_with_did_you_mean(tmp_path):
    text = JIAOZUO.replace("id: jiaozuo", "id: mine", 1).replace("when: knowingly_violated", "when: knowingly_violatd")
    (problem,) = ruleset_problems(tmp_path, text)
    assert (problem.code, problem.line) == ("unknown-fact", line_of(text, "knowingly_violatd"))
    assert problem.message == "未知的事实 `knowingly_violatd`" and problem.hint == "是否想写 `knowingly_violated`？"


def test_user_ruleset_unknown_parent(tmp_path):
    text = JIAOZUO.replace("id: jiaozuo\n", "id: mine\nextends: jiaozou\n", 1)
    (problem,) = ruleset_problems(tmp_path, text)
    assert (problem.code, problem.line) == ("unknown-parent", line_of(text, "extends:"))
    assert problem.hint == "是否想写 `jiaozuo`？"


def test_user_ruleset_duplicate_rule_ids(tmp_path):
    text = JIAOZUO.replace("id: jiaozuo", "id: mine", 1).replace("id: principle_2_defied_ban", "id: principle_1_knowing_violation")
    (problem,) = ruleset_problems(tmp_path, text)
    assert problem.code == "duplicate-rule"
    assert problem.line == line_of(text, "  - id: principle_1_knowing_violation\n    title: 上级")
    assert "规则编号 `principle_1_knowing_violation` 重复" in problem.message


def test_user_ruleset_outcome_mapping_with_a_gap(tmp_path):
    text = JIAOZUO.replace("id: jiaozuo", "id: mine", 1).replace("    outcome: lighter\n", "    outcome: lighter\n    when: emergency\n")
    (problem,) = ruleset_problems(tmp_path, text)
    assert (problem.code, problem.line) == ("outcome-gap", line_of(text, "    when: emergency\n"))
    assert "可能得不到任何结果" in problem.message


def test_user_ruleset_with_python_tag_is_refused(tmp_path):
    marker = tmp_path / "pwned"
    text = JIAOZUO.replace("id: jiaozuo", "id: mine", 1).replace("short_title: 焦作", f"short_title: !!python/object/apply:os.system ['touch {marker}']")
    (problem,) = ruleset_problems(tmp_path, text)
    assert (problem.code, problem.line) == ("yaml-tag", line_of(text, "short_title:"))
    assert not marker.exists()


def test_user_ruleset_duplicate_key_and_schema_errors(tmp_path):
    text = JIAOZUO.replace("id: jiaozuo", "id: mine", 1).replace("status: 试行\n", "status: 试行\nstatus: 施行\n")
    (problem,) = ruleset_problems(tmp_path, text)
    assert (problem.code, problem.line) == ("duplicate-key", line_of(text, "status: 施行"))
