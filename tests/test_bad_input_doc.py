"""docs/bad-input.md shows what a user really sees for each bad input.

The table is produced by running the CLI on every input below; this test fails
when the document and the program disagree. Set UPDATE_GOLDEN=1 to rewrite it.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner

from rongcuo_cli.load import yaml_source
from rongcuo_cli.cli import app

from .conftest import ROOT, UPDATE_GOLDEN
from .test_bad_input import JIAOZUO, VALID, billion_laughs

DOC = ROOT / "docs" / "bad-input.md"
BEGIN, END = "<!-- table:begin -->", "<!-- table:end -->"
ASSESS = ("assess", "case.yaml", "--ruleset", "jiaozuo")
VALIDATE = ("validate", "case.yaml")


@dataclass(frozen=True)
class Row:
    what: str
    shown: str  # what the file holds, as the table shows it
    content: bytes
    args: tuple[str, ...] = VALIDATE
    name: str = "case.yaml"


def case(old: str, new: str) -> bytes:
    assert old in VALID
    return VALID.replace(old, new).encode("utf-8")


def ruleset(old: str, new: str) -> bytes:
    assert old in JIAOZUO
    return JIAOZUO.replace("id: jiaozuo", "id: mine", 1).replace(old, new, 1).encode("utf-8")


RULESET_ARGS = ("validate", "--ruleset", "my.yaml")
ROWS = [
    Row("值里有未加引号的冒号", "title: 会议纪要: 第3号", case("title: 某乡镇紧急转移群众", "title: 会议纪要: 第3号"), ASSESS),
    Row("用 Tab 缩进", "subject:⇥kind: individual", case("  kind: individual", "\tkind: individual")),
    Row("方括号没有闭合", "context: [emergency_response", case("context: [emergency_response]", "context: [emergency_response")),
    Row("缩进没有对齐", "subject:\\n  kind: …\\n body: township", case("  body: township", " body: township")),
    Row("空文件", "（0 字节）", b""),
    Row("只有一个标量", "就一句话", "就一句话\n".encode()),
    Row("顶层是列表", "- a\\n- b", b"- a\n- b\n"),
    Row("一个文件两个文档", "…\\n---\\n…", (VALID + "---\n" + VALID).encode()),
    Row("重复的键", "private_gain: false\\nprivate_gain: true", (VALID + "  private_gain: true\n").encode()),
    Row("该写映射处写了列表", "facts: [force_majeure]", case("facts:\n  force_majeure: true\n  private_gain: false\n", "facts: [force_majeure]\n")),
    Row("事实写成 yes / 有", "force_majeure: yes / private_gain: 无", case("force_majeure: true\n  private_gain: false", "force_majeure: yes\n  private_gain: 无")),
    Row("事实写成“未知”", "force_majeure: 未知", case("force_majeure: true", "force_majeure: 未知")),
    Row("事实写成 是 / 否 / 不清楚（接受）", "force_majeure: 是 / private_gain: 否 / emergency: 不清楚",
        case("force_majeure: true\n  private_gain: false", "force_majeure: 是\n  private_gain: 否\n  emergency: 不清楚")),
    Row("损失、情境、主体写成中文（接受）", "loss: 较小 / context: [处置突发事件] / body: 乡镇",
        case("context: [emergency_response]", "context: [处置突发事件]").replace(b"loss: minor", "loss: 较小".encode()).replace(b"body: township", "body: 乡镇".encode())),
    Row("中文损失档次写错", "loss: 较少", case("loss: minor", "loss: 较少")),
    Row("事实写成 True / FALSE（接受）", "force_majeure: True", case("force_majeure: true\n  private_gain: false", "force_majeure: True\n  private_gain: FALSE")),
    Row("不存在的日期", "occurred: 2023-02-30", case("occurred: 2023-07-30", "occurred: 2023-02-30")),
    Row("日期加了引号", "occurred: '2023-07-30'", case("occurred: 2023-07-30", "occurred: '2023-07-30'")),
    Row("日期写成文字", "occurred: 上周", case("occurred: 2023-07-30", "occurred: 上周")),
    Row("损失档次不在范围内", "loss: minr", case("loss: minor", "loss: minr")),
    Row("未知的情境标签", "context: [emergncy_response]", case("context: [emergency_response]", "context: [emergncy_response]")),
    Row("空的案件编号", "case_id: ''", case("case_id: T-1", "case_id: ''")),
    Row("拼错的字段名", "sumary: …", (VALID + "sumary: 略\n").encode()),
    Row("拼错的事实名", "privat_gain: false", case("private_gain: false", "privat_gain: false")),
    Row("数字或 null 作键", "1: a", (VALID + "1: a\n").encode()),
    Row("复合键", "? [a, b]\\n: 1", (VALID + "? [a, b]\n: 1\n").encode()),
    Row("GBK 编码（接受）", "（GBK 字节）", VALID.encode("gbk")),
    Row("UTF-8 带 BOM（接受）", "（EF BB BF 开头）", VALID.encode("utf-8-sig")),
    Row("UTF-16 带 BOM（接受）", "（FF FE 开头）", VALID.encode("utf-16")),
    Row("Big5 编码", "（Big5 字节）", VALID.replace("某乡镇紧急转移群众", "緊急轉移群眾時臨時徵用民房").encode("big5")),
    Row("Latin-1 编码", "summary: café", (VALID.replace("某乡镇紧急转移群众", "Flood") + "summary: café\n").encode("latin-1")),
    Row("无法解码的字节", "x: FF FE 80", VALID.encode() + b"x: \xff\xfe\x80\n"),
    Row("NUL 控制字符", "title: \\0某…", case("title: 某", "title: \x00某")),
    Row("文件过大", f"（{yaml_source.MAX_FILE_BYTES + 1} 字节）", b"#" * (yaml_source.MAX_FILE_BYTES + 1)),
    Row("别名炸弹（billion laughs）", "lol1: &lol1 [*lol0, *lol0, …]", billion_laughs().encode()),
    Row("嵌套过深", "a: [[[[…]]]]（5000 层）", ("a: " + "[" * 5000 + "]" * 5000 + "\n").encode()),
    Row("Python 标签", "title: !!python/object/apply:os.system […]", case("title: 某乡镇紧急转移群众", "title: !!python/object/apply:os.system ['touch x']")),
    Row("自定义标签的映射", "subject: !!python/object:types.SimpleNamespace", case("subject:\n", "subject: !!python/object:types.SimpleNamespace\n")),
    Row("文件不存在", "（无此文件）", b"", ("validate", "nope.yaml")),
    Row("给的是目录", "（目录）", b"", ("assess", ".", "--ruleset", "jiaozuo")),
    Row("未知的规则集编号", "--ruleset jiaozou", VALID.encode(), ("assess", "case.yaml", "--ruleset", "jiaozou")),
    Row("规则集：未知的事实", "when: knowingly_violatd", ruleset("when: knowingly_violated", "when: knowingly_violatd"), RULESET_ARGS, "my.yaml"),
    Row("规则集：未知的上级规则集", "extends: jiaozou", ruleset("short_title:", "extends: jiaozou\nshort_title:"), RULESET_ARGS, "my.yaml"),
    Row("规则集：规则编号重复", "id: principle_1_knowing_violation（两次）", ruleset("id: principle_2_defied_ban", "id: principle_1_knowing_violation"), RULESET_ARGS, "my.yaml"),
    Row("规则集：结果映射有缺口", "最后一项 outcome: lighter 带 when", ruleset("    outcome: lighter\n", "    outcome: lighter\n    when: emergency\n"), RULESET_ARGS, "my.yaml"),
    Row("超长的数字", "extra: 999…（5000 位）", (VALID + "extra: " + "9" * 5000 + "\n").encode()),
    Row("几千个未知字段", "k0: 1 … k4999: 1", (VALID + "".join(f"k{i}: 1\n" for i in range(5000))).encode(), ("validate", "case.yaml")),
    Row("字段名里有终端控制序列", "\"fa\\e]0;pwned\\a\\x9b31mct\": true", case("  private_gain: false", '  private_gain: false\n  "fa\\e]0;pwned\\a\\x9b31mct": true')),
    Row("规则集：extends 指向非规则集文件", "extends: /etc/passwd", ruleset("short_title:", "extends: /etc/passwd\nshort_title:"), RULESET_ARGS, "my.yaml"),
    Row("输出文件就是规则集", "-o my.yaml", ruleset("short_title: 焦作", "short_title: 焦作"), ("assess", "case.yaml", "--ruleset", "my.yaml", "-o", "my.yaml"), "my.yaml"),
    Row("规则集：Python 标签", "short_title: !!python/object/apply:os.system", ruleset("short_title: 焦作", "short_title: !!python/object/apply:os.system ['touch x']"), RULESET_ARGS, "my.yaml"),
]


def _cell(text: str) -> str:
    return html.escape(text).replace("|", "&#124;").replace("\n", "<br>")


def render_table(tmp_path: Path, monkeypatch) -> str:
    lines = ["| 输入 | 文件内容（节选） | 命令 | 用户看到的输出 | 退出码 |", "|---|---|---|---|---|"]
    for index, row in enumerate(ROWS):
        folder = tmp_path / str(index)
        folder.mkdir()
        if row.content or row.what == "空文件":
            (folder / row.name).write_bytes(row.content)
        monkeypatch.chdir(folder)
        result = CliRunner().invoke(app, list(row.args), env={"COLUMNS": "100", "NO_COLOR": "1"})
        assert "Traceback" not in result.output and result.exit_code in (0, 1, 2), (row.what, result.output)
        shown = f"<code>{_cell(row.shown)}</code>"
        command = f"<code>rongcuo {_cell(' '.join(row.args))}</code>"
        output = f"<pre>{_cell(result.output.rstrip().replace(f'{folder}/', ''))}</pre>"  # a user ruleset is reported by its full path
        lines.append(f"| {row.what} | {shown} | {command} | {output} | {result.exit_code} |")
    return "\n".join(lines)


def test_doc_table_matches_real_output(tmp_path, monkeypatch):
    table = render_table(tmp_path, monkeypatch)
    text = DOC.read_text(encoding="utf-8")
    before, rest = text.split(BEGIN)
    current, after = rest.split(END)
    if UPDATE_GOLDEN:
        DOC.write_text(f"{before}{BEGIN}\n{table}\n{END}{after}", encoding="utf-8")
        return
    assert current.strip() == table, "docs/bad-input.md is stale: rerun with UPDATE_GOLDEN=1"


def test_readme_links_the_doc():
    assert re.search(r"\]\(docs/bad-input\.md\)", (ROOT / "README.md").read_text(encoding="utf-8"))
