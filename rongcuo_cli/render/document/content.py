"""What a 容错纠错认定意见书 says, in the order of published guiding cases, as blocks of text.

Why blocks: the order and the wording are decided once, here; Markdown, HTML
and .docx only give each kind of block its look, so the three formats can
never say different things. A user's template gets the blocks and the
structured data they were made from (see docs/document-templates.md).

Every text taken from a case or a ruleset passes ``escape``: a control or
bidi character is shown as ``\\x1b`` / ``\\u202e`` and never reaches a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from rongcuo_cli.engine.versions import all_versions
from rongcuo_cli.engine.whatif import value_label
from rongcuo_cli.load.ruleset_loader import CompiledRuleset
from rongcuo_cli.model.case import CaseBase, Dates
from rongcuo_cli.model.ruling import OUTCOME_LABELS, OUTCOME_MEANINGS, Ruling, TrailEntry
from rongcuo_cli.model.ruleset import Citation
from rongcuo_cli.model.safe_text import escape
from rongcuo_cli.model.tristate import Tri
from rongcuo_cli.model.vocabulary import Vocabulary
from rongcuo_cli.render.document.citations import Quote, book_title, quote, source_titles
from rongcuo_cli.render.document.fingerprint import Fingerprint

TITLE = "容错纠错认定意见书"
SECTIONS = ("一、基本案情", "二、认定意见", "三、依据", "四、待核实事项", "五、程序与时限")
# Block kinds, each with one look in every format.
KINDS = ("title", "subtitle", "heading", "subheading", "para", "quote", "notice", "signature", "fingerprint")
RULE_RESULTS = {Tri.TRUE: "成立", Tri.FALSE: "不成立", Tri.UNKNOWN: "尚未查明"}
SUBJECT_KINDS = {"individual": "个人", "unit": "单位"}
SIGNATURE = ("承办单位（盖章）：＿＿＿＿＿＿＿＿", "承办人：＿＿＿＿＿＿＿＿", "日期：　　　　年　　月　　日")


@dataclass(frozen=True)
class Block:
    kind: str  # one of KINDS
    text: str


@dataclass(frozen=True)
class OpinionDocument:
    """Everything a template receives as ``doc``: the blocks, and the facts they were written from."""

    title: str
    case_id: str
    case_title: str
    ruleset_id: str
    ruleset_title: str
    outcome: str
    outcome_label: str
    range_text: str
    presumed_outcome: str | None
    presumed_outcome_label: str | None
    citations: tuple[Quote, ...]
    questions: tuple[str, ...]
    notice: str
    fingerprint: Fingerprint
    blocks: tuple[Block, ...]
    signature: tuple[str, ...] = SIGNATURE
    sections: tuple[str, ...] = SECTIONS


@dataclass
class _Writer:
    blocks: list[Block] = field(default_factory=list)

    def add(self, kind: str, text: str) -> None:
        self.blocks.append(Block(kind, escape(text)))

    def paras(self, texts: Iterable[str], kind: str = "para") -> None:
        for text in texts:
            self.add(kind, text)

    def numbered(self, texts: Iterable[str], kind: str = "para") -> None:
        self.paras((f"{n}.{text}" for n, text in enumerate(texts, 1)), kind)


def build(case: CaseBase, ruling: Ruling, ruleset: CompiledRuleset, fingerprint: Fingerprint, vocab: Vocabulary) -> OpinionDocument:
    titles = source_titles(all_versions(ruleset))
    cited = _Cited(titles)
    out = _Writer()
    out.add("title", TITLE)
    out.add("subtitle", f"（案件编号：{ruling.case_id}）")
    out.add("para", f"根据{book_title(ruling.ruleset_title)}，现对“{ruling.case_title}”一案是否予以容错纠错提出认定意见如下。")
    _basic_facts(out, case, ruling, vocab)
    _opinion(out, ruling, cited)
    _basis(out, ruling, ruleset, cited)
    questions = _to_verify(out, ruling)
    _procedure(out, ruling, cited)
    out.add("notice", ruling.notice)
    out.paras(SIGNATURE, "signature")
    out.add("fingerprint", fingerprint.line)
    presumed = ruling.presumed.outcome if ruling.presumed and ruling.presumed.assumptions else None
    return OpinionDocument(
        title=TITLE, case_id=escape(ruling.case_id), case_title=escape(ruling.case_title),
        ruleset_id=ruling.ruleset, ruleset_title=escape(ruling.ruleset_title),
        outcome=ruling.outcome, outcome_label=ruling.outcome_label, range_text=escape(ruling.range_text),
        presumed_outcome=presumed, presumed_outcome_label=OUTCOME_LABELS[presumed] if presumed else None,
        citations=tuple(cited.listed), questions=tuple(escape(q) for q in questions), notice=escape(ruling.notice),
        fingerprint=fingerprint, blocks=tuple(out.blocks),
    )


class _Cited:
    """The quotes the document gives, in first-use order: section 三 lists each once."""

    def __init__(self, titles: dict[str, str]):
        self.titles = titles
        self.listed: list[Quote] = []

    def __call__(self, cites: Citation) -> Quote:
        found = quote(cites, self.titles)
        if found not in self.listed:
            self.listed.append(found)
        return found


def _basic_facts(out: _Writer, case: CaseBase, ruling: Ruling, vocab: Vocabulary) -> None:
    out.add("heading", SECTIONS[0])
    subject = case.subject
    who = "，".join(part for part in (subject.name, subject.position) if part) or "未写明"
    body = f"；主体类型：{vocab.body.values.get(subject.body, subject.body)}" if subject.body else ""
    out.add("para", f"当事{SUBJECT_KINDS.get(subject.kind, subject.kind)}：{who}{body}。")
    if case.region:
        out.add("para", f"地区：{case.region}。")
    out.paras(_paragraphs(case.summary or "") or ["案件文件未写案情简述。"])
    dates = [f"{Dates.model_fields[key].description} {value.isoformat()}" for key, value in case.dates if value is not None]
    if dates:
        out.add("para", "有关日期：" + "；".join(dates) + "。")
    out.add("para", "已查明的事实：" + _known_facts(case, vocab) + "。")
    if case.evidence:
        out.add("para", "证据材料：" + "；".join(f"{n}.{item}" for n, item in enumerate(case.evidence, 1)) + "。")
    if ruling.overrides:
        changed = "；".join(f"{o.label}由“{value_label(o.fact, o.was, vocab)}”假设为“{value_label(o.fact, o.now, vocab)}”" for o in ruling.overrides)
        out.add("para", f"注意：本意见书按假设的事实作出（--set），与案件文件不同：{changed}。")


def _paragraphs(text: str) -> list[str]:
    """Paragraphs of a case's free text: a blank line separates them; a single line break only wraps (Chinese joins without a space)."""
    paragraphs, current = [], []
    for line in [*text.splitlines(), ""]:
        if line.strip():
            current.append(line.strip())
        elif current:
            paragraphs.append("".join(current))
            current = []
    return paragraphs


def _known_facts(case: CaseBase, vocab: Vocabulary) -> str:
    stated: dict[str, Any] = dict(case.fact_values)
    if case.loss is not None:
        stated["loss"] = case.loss
    if case.context is not None:
        stated["context"] = case.context
    shown = [f"{vocab.variable_label(name)}——{value_label(name, stated[name], vocab)}" for name in vocab.in_order(stated)]
    return "；".join(shown) if shown else "案件文件未写明任何事实"


def _entries(ruling: Ruling, kind: str) -> list[TrailEntry]:
    return [entry for entry in ruling.trail if entry.kind == kind]


def _cite_entry(out: _Writer, entry: TrailEntry, cited: _Cited) -> None:
    """The clause behind a finding, and, for the tool's reading of a text, what that reading leans on."""
    out.add("quote", cited(entry.cites).line)
    if entry.basis == "interpretation":
        leans = "、".join(cited(c).where for c in entry.leans_on)
        out.add("para", "说明：本项为本工具对条文的解释（原文未作明确规定）" + (f"，参照{leans}" if leans else "") + (f"。{entry.note}" if entry.note else "。"))


def _opinion(out: _Writer, ruling: Ruling, cited: _Cited) -> None:
    out.add("heading", SECTIONS[1])
    out.add("subheading", "（一）适用情形")
    if ruling.version is not None:
        out.add("para", ruling.version.text)
    requirements = _entries(ruling, "requirement")
    if requirements:
        out.add("para", "一般条件：" + "；".join(f"{e.title}——{RULE_RESULTS[e.result]}" for e in requirements) + "。")
    titles = {entry.rule: entry for entry in ruling.trail}
    for rule in ruling.matched:
        out.add("para", f"本案符合“{titles[rule].title}”的情形。")
        _cite_entry(out, titles[rule], cited)
    if not ruling.matched:
        unknown = any(e.result is Tri.UNKNOWN for e in _entries(ruling, "situation"))
        out.add("para", "尚未查明本案是否符合所列适用情形。" if unknown else "本案不符合所列适用情形。")
    if not ruling.exclusions:
        out.add("para", f"是否符合容错条件：{ruling.eligible.label}。")

    out.add("subheading", "（二）不予容错情形核查")
    exclusions = _entries(ruling, "exclusion")
    for entry in exclusions:
        if entry.result is Tri.TRUE:
            out.add("para", f"经核查，本案存在“{entry.title}”的情形，依规不予容错。")
            _cite_entry(out, entry, cited)
    for result, said in ((Tri.FALSE, "经核查，下列不予容错情形不成立："), (Tri.UNKNOWN, "下列不予容错情形尚未查明（见“四、待核实事项”）：")):
        found = [e.title for e in exclusions if e.result is result]
        if found:
            out.add("para", said + "；".join(found) + "。")
    if not exclusions:
        out.add("para", "规则集未列不予容错情形。")

    out.add("subheading", "（三）处理建议")
    _recommendation(out, ruling, cited)


def _recommendation(out: _Writer, ruling: Ruling, cited: _Cited) -> None:
    if ruling.outcome == "undetermined":
        out.add("para", f"本案事实不全，暂不能作出认定（待定）。{ruling.reason}。")
        _presumed(out, ruling)
    elif ruling.outcome == "not_tolerated":
        out.add("para", f"建议：{OUTCOME_MEANINGS['not_tolerated']}。理由：{ruling.reason}。")
    else:
        out.add("para", f"建议：{ruling.outcome_label}（{OUTCOME_MEANINGS[ruling.outcome]}）。")
        out.add("para", f"处理幅度：{ruling.range_text}。")
        if ruling.point_reason:
            out.add("para", f"建议理由：{ruling.point_reason}")
        out.add("para", f"理由：{ruling.reason}。")
    for entry in ruling.trail:
        if entry.decided:
            _cite_entry(out, entry, cited)
    if ruling.approximate:
        out.add("para", "注意：未知事实的组合过多，超出穷举上限，可能的结果和缺失事实按三值逻辑保守给出（可能多列）；补充事实后再认定。")
    if ruling.measure is not None:
        out.add("para", f"处理措施：{ruling.measure.text}。")
        for effect in ruling.measure.effects:
            out.add("para", f"{effect.grade}：{effect.text}（{cited(effect.cites).where}）。")
        for cites in ruling.measure.cites:
            cited(cites)
    for guidance in ruling.result_use:
        out.add("para", f"结果运用：{guidance.text}（{cited(guidance.cites).where}）")


def _presumed(out: _Writer, ruling: Ruling) -> None:
    presumed = ruling.presumed
    if presumed is None:
        return
    if not presumed.concludes:
        out.add("para", "缺失的事实关乎是否符合容错条件，不作推定，须先查明。")
        return
    label = OUTCOME_LABELS[presumed.outcome]
    out.add("para", f"推定结论（待核实）：如“四、待核实事项”所列推定经核实属实，建议{label}（{OUTCOME_MEANINGS[presumed.outcome]}）。")
    if presumed.outcome not in ("undetermined", "not_tolerated"):
        out.add("para", f"处理幅度：{presumed.range_text}。")
    if presumed.point_reason:
        out.add("para", f"建议理由：{presumed.point_reason}")
    out.add("para", "推定不是认定：任何一项核实为“是”，推定结论即不成立。")


def _basis(out: _Writer, ruling: Ruling, ruleset: CompiledRuleset, cited: _Cited) -> None:
    out.add("heading", SECTIONS[2])
    if ruling.version is not None and ruleset.meta.lenity is not None:
        cited(ruleset.meta.lenity)
    for step in ruling.procedure:
        cited(step.cites)
    for guidance in ruling.next_steps:
        cited(guidance.cites)
    out.numbered((q.line for q in cited.listed), "quote")


def _to_verify(out: _Writer, ruling: Ruling) -> list[str]:
    out.add("heading", SECTIONS[3])
    presumed = ruling.presumed.assumptions if ruling.presumed else []
    assumed = {a.fact for a in presumed}
    questions = [f"核实：{a.question}（现推定为“否”：{a.label}）" for a in presumed]
    questions += [f"查明：{q.question}（{q.label}）" for q in ruling.questions if q.fact not in assumed]
    if questions:
        out.numbered(questions)
        out.add("para", "以上事项查明后，应重新认定。")
    else:
        out.add("para", "无。现有事实足以作出认定。")
    return questions


def _procedure(out: _Writer, ruling: Ruling, cited: _Cited) -> None:
    out.add("heading", SECTIONS[4])
    for n, step in enumerate(ruling.procedure, 1):
        out.add("para", f"{n}.{step.title}：{step.text}")
        if step.status is not None:
            late = "【逾期】" if step.status.timely is False else ""
            out.add("para", f"{late}{step.status.text}。")
    if not ruling.procedure:
        out.add("para", "规则集未规定程序步骤，按本地区有关规定办理。")
    out.paras(f"下一步：{g.text}" for g in ruling.next_steps)
