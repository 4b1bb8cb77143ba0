"""The 容错纠错认定意见书: what it says, in which order, in .md, .html and .docx, and how the commands write it."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from rongcuo_cli import __version__, load_case, load_ruleset
from rongcuo_cli.cli import app
from rongcuo_cli.engine.advice import advise
from rongcuo_cli.load.vocabulary import load_vocabulary
from rongcuo_cli.model.ruling import Ruling
from rongcuo_cli.render.document.content import SECTIONS, OpinionDocument
from rongcuo_cli.render.document.formats import opinion, render

from .conftest import ROOT, SAMPLES

SAMPLE_FILES = sorted(SAMPLES.glob("*/*.yaml"))
FORMATS = ("md", "html", "docx")
UNDETERMINED = SAMPLES / "national" / "undetermined_exclusions_unstated.yaml"
FLOOD = SAMPLES / "jiaozuo" / "waived_flood_emergency.yaml"
LATE = SAMPLES / "chuzhou" / "waived_late_application_national_day.yaml"
runner = CliRunner()


@dataclass
class Made:
    path: Path
    ruling: Ruling
    doc: OpinionDocument
    files: dict[str, bytes]

    @property
    def md(self) -> str:
        return self.files["md"].decode("utf-8")

    @property
    def html(self) -> str:
        return self.files["html"].decode("utf-8")

    def docx(self) -> docx.document.Document:
        return docx.Document(io.BytesIO(self.files["docx"]))


def make(path: Path, ruleset: str) -> Made:
    case, compiled, vocab = load_case(path), load_ruleset(ruleset), load_vocabulary()
    ruling = advise(case, compiled, vocab, analyse=False)
    doc = opinion(case, path, ruling, compiled, vocab)
    return Made(path, ruling, doc, {fmt: render(doc, fmt, ruling, case) for fmt in FORMATS})


@pytest.fixture(scope="module")
def made() -> dict[Path, Made]:
    """Every sample under its own ruleset (the folder's name), in all three formats: made once for the module."""
    return {path: make(path, path.parent.name) for path in SAMPLE_FILES}


def run(*args: str, cwd: Path | None = None):
    if cwd is None:
        return runner.invoke(app, list(args), env={"COLUMNS": "100", "NO_COLOR": "1"})
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return runner.invoke(app, list(args), env={"COLUMNS": "100", "NO_COLOR": "1"})
    finally:
        os.chdir(old)


def section(text: str, start: str, end: str) -> str:
    """From the heading ``start`` to the heading ``end`` (headings stand on their own line)."""
    begin = text.index(f"\n{start}\n")
    return text[begin: text.index(f"\n{end}\n", begin)]


def plain_md(md: str) -> str:
    """The Markdown as a reader sees it: rendered, tags dropped (the escapes are gone)."""
    return re.sub(r"<[^>]+>", "", MarkdownIt("commonmark").render(md))


def test_every_sample_gives_all_three_formats_with_the_sections_in_order(made):
    assert len(made) == len(SAMPLE_FILES) > 60
    for path, one in made.items():
        shown = MarkdownIt("commonmark").render(one.md)
        marks = ["<h1>容错纠错认定意见书</h1>", *(f"<h2>{s}</h2>" for s in SECTIONS), one.ruling.notice, "承办单位", "校验（SHA-256"]
        positions = [shown.index(mark) for mark in marks]
        assert positions == sorted(positions), path
        assert all(f"<h2>{s}</h2>" in one.html for s in SECTIONS), path
        paragraphs = [p.text for p in one.docx().paragraphs]
        assert paragraphs[0] == "容错纠错认定意见书" and f"（案件编号：{one.ruling.case_id}）" == paragraphs[1], path
        assert [p for p in paragraphs if p in SECTIONS] == list(SECTIONS), path


def test_the_recommendation_gives_the_outcome_and_the_lawful_range(made):
    for one in made.values():
        ruling = one.ruling
        advice = section(plain_md(one.md), "（三）处理建议", "三、依据")
        if ruling.outcome in ("waived", "reduced", "lighter"):
            assert f"建议：{ruling.outcome_label}" in advice and f"处理幅度：{ruling.range_text}" in advice, one.path
        elif ruling.outcome == "not_tolerated":
            assert "建议：不予容错" in advice, one.path
        else:
            assert "待定" in advice, one.path


def test_an_undetermined_case_lists_its_presumptions_as_questions_to_verify(made):
    one = made[UNDETERMINED]
    presumed = one.ruling.presumed
    assert one.ruling.outcome == "undetermined" and presumed is not None and len(presumed.assumptions) == 5
    shown = plain_md(one.md)
    advice = section(shown, "（三）处理建议", "三、依据")
    assert "推定结论（待核实）" in advice and "建议免除" in advice and f"处理幅度：{presumed.range_text}" in advice
    to_verify = section(shown, "四、待核实事项", "五、程序与时限")
    for n, assumption in enumerate(presumed.assumptions, 1):
        assert f"{n}.核实：{assumption.question}" in to_verify
    determined = made[FLOOD]
    assert "无。现有事实足以作出认定。" in section(plain_md(determined.md), "四、待核实事项", "五、程序与时限")


def test_citations_name_the_document_by_title_and_quote_its_words(made):
    one = made[SAMPLES / "jiaozuo" / "not_tolerated_major_accident.yaml"]
    shown = plain_md(one.md)
    basis = section(shown, "三、依据", "四、待核实事项")
    assert "《焦作市支持改革创新激励干部担当有为容错纠错办法（试行）》不予容错的情形 第2项：“2 造成重特大安全责任事故、重大环境污染事故、重大群体性事件以及其他重大损失的。”" in basis
    assert ".txt" not in shown  # no seed file name anywhere a reader looks
    national = made[UNDETERMINED]
    assert "《中国共产党问责条例（2019）》第十七条第一款（一）：“（一）在推进改革中" in plain_md(national.md)


def test_a_paraphrase_is_never_shown_as_the_texts_own_words(made):
    one = made[LATE]
    paraphrased = [c for c in one.doc.citations if c.paraphrase]
    assert paraphrased, "the sample's measure cites a paraphrased ladder"
    shown = plain_md(one.md)
    for cites in paraphrased:
        assert f"{cites.where}：大意为{cites.text}" in shown
        assert f"“{cites.text}”" not in shown
    assert "《中国共产党纪律处分条例》第八条（转述）" in shown


def test_the_notice_says_the_committee_decides(made):
    for one in made.values():
        assert "由党委（党组）按干部管理权限集体研究决定" in one.md


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_fingerprint_line_matches_the_hashes_of_the_inputs(made):
    one = made[LATE]  # chuzhou extends national: both ruleset files count
    case, chuzhou, national = sha(LATE), sha(ROOT / "rulesets" / "chuzhou.yaml"), sha(ROOT / "rulesets" / "national.yaml")
    line = (f"校验（SHA-256 前 12 位）：案件文件 {LATE.name} {case[:12]}；规则集文件 chuzhou.yaml {chuzhou[:12]}；"
            f"规则集文件 national.yaml {national[:12]}；rongcuo {__version__}")
    full = f"案件文件 {case}；规则集文件 {chuzhou}；规则集文件 {national}；rongcuo {__version__}"
    assert line in plain_md(one.md) and f"<!-- rongcuo 指纹（SHA-256）：{full} -->" in one.md
    assert f'<p class="fingerprint">{line}</p>' in one.html and full in one.html
    document = one.docx()
    assert document.paragraphs[-1].text == line
    assert full in document.core_properties.comments


def test_the_same_inputs_give_the_same_bytes():
    first, second = make(LATE, "chuzhou"), make(LATE, "chuzhou")
    assert first.files == second.files  # .docx included: the zip's dates and core properties are fixed
    members = zipfile.ZipFile(io.BytesIO(first.files["docx"])).infolist()
    assert {m.date_time for m in members} == {(1980, 1, 1, 0, 0, 0)}


HOSTILE = """\
case_id: "HX/../1"
title: "<script>alert(1)</script>某镇\\e[31m误拆\\u202e用房"
subject: {kind: individual, name: "<b>张某</b> & 李某", position: "*镇长*"}
summary: |
  # 不是标题
  - 不是列表
  1. 不是编号
  <img src=x onerror=alert(1)> [链接](javascript:alert(1))
facts: {private_gain: true}
"""


def test_text_from_a_case_file_cannot_become_markup_or_control_characters(tmp_path):
    path = tmp_path / "hostile.yaml"
    path.write_text(HOSTILE, encoding="utf-8")
    one = make(path, "jiaozuo")
    assert "<script>" not in one.html and "&lt;script&gt;alert(1)&lt;/script&gt;" in one.html
    assert "<img" not in one.html and "<b>" not in one.html
    rendered = MarkdownIt("commonmark").render(one.md)
    assert "<script" not in rendered and "<img" not in rendered and "<b>" not in rendered and "<a " not in rendered
    assert "<h1>" in rendered and rendered.count("<h1>") == 1 and "<ul>" not in rendered and "<ol>" not in rendered and "<em>" not in rendered
    assert "# 不是标题" in plain_md(one.md) and "<script>alert(1)</script>" in plain_md(one.md).replace("&lt;", "<").replace("&gt;", ">")
    assert "\x1b" not in one.md and "\u202e" not in one.md
    for text in (plain_md(one.md), one.html, "\n".join(p.text for p in one.docx().paragraphs)):
        assert "\x1b" not in text and "\u202e" not in text
        assert "\\x1b[31m" in text and "\\u202e" in text  # shown, so the reader sees what the file holds


def test_docx_layout_follows_gb_t_9704(made):
    document = made[FLOOD].docx()
    section_ = document.sections[0]

    def mm(length) -> float:  # Word stores twentieths of a point: a millimetre is 56.7 of them
        return round(length / Mm(1), 1)

    assert (mm(section_.page_width), mm(section_.page_height)) == (210, 297)  # A4
    assert mm(section_.top_margin) == 37
    assert mm(section_.page_width - section_.left_margin - section_.right_margin) == 156
    assert mm(section_.page_height - section_.top_margin - section_.bottom_margin) == 225
    grid = section_._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars" and grid.get(qn("w:linePitch")) == "579"  # 28.95 pt: 22 lines

    def east_asia(style) -> str:
        return style.element.rPr.rFonts.get(qn("w:eastAsia"))

    title, body = document.paragraphs[0], document.paragraphs[2]
    assert title.style.font.size == Pt(22) and east_asia(title.style) in ("方正小标宋简体", "小标宋")
    assert body.style.font.size == Pt(16) and east_asia(body.style) in ("仿宋_GB2312", "仿宋")
    assert body.style.paragraph_format.line_spacing == Pt(28.95)
    assert Pt(28.95) * 22 <= Mm(225) < Pt(28.95) * 23
    assert document.settings.odd_and_even_pages_header_footer
    for footer in (section_.footer, section_.even_page_footer):
        page = footer.paragraphs[0]._p
        assert "".join(t.text for t in page.iter(qn("w:t"))) == "— 1 —"  # the 1 is the field's, updated per page
        assert page.find(qn("w:fldSimple")).get(qn("w:instr")).strip() == "PAGE"
        runs = list(page.iter(qn("w:r")))
        assert {r.rPr.find(qn("w:sz")).get(qn("w:val")) for r in runs} == {"28"}  # half-points: 14 pt, 四号
        assert {r.rPr.rFonts.get(qn("w:eastAsia")) for r in runs} == {"宋体"}
    defaults = document.styles.element.find(qn("w:docDefaults")).find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    assert defaults.get(qn("w:eastAsiaTheme")) is None  # a theme font would override the named one


def test_assess_writes_each_format_by_suffix(tmp_path):
    for suffix, check in ((".md", b"# "), (".html", b"<!DOCTYPE html>"), (".docx", b"PK")):
        target = tmp_path / f"opinion{suffix}"
        result = run("assess", str(FLOOD), "-r", "jiaozuo", "--document", str(target))
        assert result.exit_code == 0, result.output
        assert target.read_bytes().startswith(check) and f"已写入 {target}" in result.output
    wrong = run("assess", str(FLOOD), "-r", "jiaozuo", "--document", str(tmp_path / "opinion.pdf"))
    assert wrong.exit_code == 2 and "须以 .md、.html 或 .docx 结尾" in wrong.output


def test_a_document_over_an_input_file_is_refused(tmp_path):
    case = tmp_path / "case.yaml"
    case.write_bytes(FLOOD.read_bytes())
    alias = tmp_path / "case.md"
    os.link(case, alias)  # the same file under a document's name
    result = run("assess", str(case), "-r", "jiaozuo", "--document", str(alias))
    assert result.exit_code == 2 and "output-is-input" in result.output and "--document" in result.output
    assert case.read_bytes() == FLOOD.read_bytes()
    template = tmp_path / "t.md"
    template.write_text("{{ doc.title }}\n", encoding="utf-8")
    result = run("assess", str(case), "-r", "jiaozuo", "--document", str(template), "--template", str(template))
    assert result.exit_code == 2 and template.read_text(encoding="utf-8") == "{{ doc.title }}\n"


def test_a_users_template_gets_the_document_the_ruling_and_the_case(tmp_path):
    template = tmp_path / "mine.html"
    template.write_text("<h1>{{ doc.case_title }}</h1>\n{{ ruling.outcome }}|{{ case.case_id }}|{{ doc.citations[0].where }}\n", encoding="utf-8")
    target = tmp_path / "out.html"
    result = run("assess", str(FLOOD), "-r", "jiaozuo", "--document", str(target), "--template", str(template))
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert text.startswith("<h1>") and "waived|JZ-" in text and "《焦作市" in text


@pytest.mark.parametrize("source, line, words", [
    ("标题\n{% for x in %}\n", 2, "模板语法错误"),
    ("标题\n\n{{ doc.no_such_field }}\n", 3, "模板使用了不存在的变量或属性"),
    ("{{ doc.__class__.__mro__ }}\n", 1, "模板做了不允许的操作"),  # the sandbox
    ("a\n{{ 1 / 0 }}\n", 2, "模板运行出错"),
])
def test_a_bad_template_is_a_positioned_error(tmp_path, source, line, words):
    template = tmp_path / "bad.md"
    template.write_text(source, encoding="utf-8")
    result = run("assess", str(FLOOD), "-r", "jiaozuo", "--document", str(tmp_path / "out.md"), "--template", str(template))
    assert result.exit_code == 1, result.output
    assert f"{template}:{line}: 错误[template] {words}" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out.md").exists()


def word_template(path: Path, *paragraphs: str) -> Path:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(path)
    return path


def test_a_word_template_is_filled_and_a_bad_one_is_positioned(tmp_path):
    good = word_template(tmp_path / "good.docx", "{{ doc.title }}", "{% for b in doc.blocks %}{{ b.text }}{% endfor %}", "{{ ruling.outcome_label }}")
    target = tmp_path / "out.docx"
    result = run("assess", str(FLOOD), "-r", "jiaozuo", "--document", str(target), "--template", str(good))
    assert result.exit_code == 0, result.output
    texts = [p.text for p in docx.Document(target).paragraphs]
    assert texts[0] == "容错纠错认定意见书" and texts[2] == "免除" and "一、基本案情" in texts[1]
    bad = word_template(tmp_path / "bad.docx", "第一段", "第二段 {{ doc.nope }}")
    result = run("assess", str(FLOOD), "-r", "jiaozuo", "--document", str(target), "--template", str(bad))
    assert result.exit_code == 1 and f"{bad}:" in result.output and "第二段" in result.output and "Traceback" not in result.output
    not_word = tmp_path / "fake.docx"
    not_word.write_text("not a zip", encoding="utf-8")
    result = run("assess", str(FLOOD), "-r", "jiaozuo", "--document", str(target), "--template", str(not_word))
    assert result.exit_code == 1 and "不是有效的 .docx 文件" in result.output
    mismatch = run("assess", str(FLOOD), "-r", "jiaozuo", "--document", str(tmp_path / "x.md"), "--template", str(good))
    assert mismatch.exit_code == 2 and "template-format" in mismatch.output
    alone = run("assess", str(FLOOD), "-r", "jiaozuo", "--template", str(good))
    assert alone.exit_code == 2 and "template-alone" in alone.output


def test_batch_writes_one_document_per_case_and_still_records_errors(tmp_path):
    cases = tmp_path / "cases"
    cases.mkdir()
    for sample in sorted((SAMPLES / "jiaozuo").glob("*.yaml"))[:3]:
        (cases / sample.name).write_bytes(sample.read_bytes())
    odd = FLOOD.read_text(encoding="utf-8").replace("case_id: JZ-2023-011", 'case_id: "JZ/2020:032 甲"')
    assert odd != FLOOD.read_text(encoding="utf-8")
    (cases / "odd_id.yaml").write_text(odd, encoding="utf-8")
    (cases / "broken.yaml").write_text("case_id: [\n", encoding="utf-8")
    folder = tmp_path / "docs"
    records = tmp_path / "r.jsonl"
    result = run("batch", str(cases), "-r", "jiaozuo", "-o", str(records), "--documents", str(folder), "--document-format", "md", "--jobs", "1")
    assert result.exit_code == 1, result.output  # the broken file is an input error
    lines = [json.loads(line) for line in records.read_text(encoding="utf-8").splitlines()]
    assert [("error" in r) for r in lines] == [True, False, False, False, False]
    ids = sorted(r["case_id"] for r in lines if "case_id" in r)
    written = sorted(p.name for p in folder.iterdir())
    expected = sorted(re.sub(r"[^\w.-]+", "_", i) + ".md" for i in ids)
    assert written == expected and "JZ_2020_032_甲.md" in written
    assert "已在" in result.output and "写出 4 份认定意见书（md）" in result.output
    for name, case_id in zip(expected, sorted(ids, key=lambda i: re.sub(r"[^\w.-]+", "_", i))):
        assert f"（案件编号：{case_id}）" in plain_md((folder / name).read_text(encoding="utf-8"))


def test_batch_documents_must_be_a_folder(tmp_path):
    file = tmp_path / "docs"
    file.write_text("", encoding="utf-8")
    result = run("batch", str(FLOOD), "-r", "jiaozuo", "--quiet", "--documents", str(file))
    assert result.exit_code == 2 and "documents-not-folder" in result.output
    result = run("batch", str(FLOOD), "-r", "jiaozuo", "--quiet", "--documents", str(tmp_path / "d"), "--document-format", "pdf")
    assert result.exit_code == 2 and "document-format" in result.output


def test_the_template_guide_names_every_variable_a_template_receives():
    from dataclasses import fields

    from rongcuo_cli.render.document.citations import Quote
    from rongcuo_cli.render.document.content import KINDS
    from rongcuo_cli.render.document.fingerprint import FileHash, Fingerprint

    guide = (ROOT / "docs" / "document-templates.md").read_text(encoding="utf-8")
    names = [f"doc.{f.name}" for f in fields(OpinionDocument)] + [f"`{k}`" for k in KINDS]
    names += [f"`{f.name}`" for cls in (Quote, Fingerprint, FileHash) for f in fields(cls)]
    names += ["`label`", "`where`", "`line`", "`full`", "`short`"]  # the properties templates use
    assert [n for n in names if n not in guide] == []
    assert "rongcuo_cli/render/document/templates/opinion.md.j2" in guide and "docs/document-first-page.png" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_a_what_if_document_says_which_facts_are_assumed(tmp_path):
    target = tmp_path / "what-if.md"
    result = run("assess", str(FLOOD), "-r", "jiaozuo", "--set", "private_gain=true", "--document", str(target))
    assert result.exit_code == 0, result.output
    shown = plain_md(target.read_text(encoding="utf-8"))
    assert "注意：本意见书按假设的事实作出（--set）" in shown and "由“否”假设为“是”" in shown
    assert "建议：不予容错" in shown


def test_a_clause_cut_by_the_page_layout_is_quoted_whole(tmp_path):
    """Jiaozuo's seed splits clauses mid-word at its line breaks; the document must not insert …… there."""
    from typer.testing import CliRunner

    from rongcuo_cli.cli import app

    out = tmp_path / "x.md"
    result = CliRunner().invoke(app, ["assess", str(SAMPLES / "jiaozuo" / "reduced_industrial_project.yaml"), "-r", "jiaozuo", "--document", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "出于公心" in text and "出……于" not in text and "化解矛盾纠纷" in text
