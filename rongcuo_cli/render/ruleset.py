"""Show a ruleset as a readable document with Rich, for review against its source."""

from __future__ import annotations

from typing import Any, Mapping

from rich.console import Console, Group
from rich.panel import Panel
from rich.rule import Rule as Divider
from rich.text import Text

from rongcuo_cli.render.condition_text import describe
from rongcuo_cli.render.base import KIND_TITLES, Para, citation_line
from rongcuo_cli.model.ruleset import Citation, Guidance, OutcomeRule
from rongcuo_cli.load.ruleset_loader import CompiledRule, CompiledRuleset
from rongcuo_cli.model.ruling import OUTCOME_LABELS, describe_range
from rongcuo_cli.model.vocabulary import Vocabulary

SECTION_TITLES = {
    "exclusion": "不予容错情形（任一成立即不予容错）",
    "requirement": "一般条件（须全部成立）",
    "situation": "适用情形（至少一项成立）",
    "outcome": KIND_TITLES["outcome"].split(" ", 1)[1],
}


def render_ruleset(compiled: CompiledRuleset, console: Console, vocab: Vocabulary) -> None:
    meta = compiled.meta
    titles = compiled.source_titles()
    console.print(_metadata(compiled))
    console.print(Panel(Para(_unfold(meta.coverage)), title="编码覆盖说明", title_align="left"))
    for kind, title in SECTION_TITLES.items():
        rules = compiled.section(kind)  # type: ignore[arg-type]
        if rules:
            console.print(Divider(f"{title}　共 {len(rules)} 条"))
            for number, rule in enumerate(rules, 1):
                console.print(_rule(number, rule, vocab, compiled.files[0], titles))
    guidance = [(f"结果运用·{OUTCOME_LABELS[o]}", g) for o, items in meta.result_use.items() for g in items]
    guidance += [(f"下一步·{OUTCOME_LABELS[o]}", g) for o, items in meta.next_steps.items() for g in items]
    if guidance:
        console.print(Divider("结果运用与下一步"))
        for label, item in guidance:
            console.print(_guidance(label, item, titles))
    if meta.procedure:
        console.print(Divider("程序"))
        for step in meta.procedure:
            console.print(_guidance(f"{step.title}（{step.id}）", Guidance(text=step.text, cites=step.cites), titles))


def _unfold(text: str) -> str:
    """Rejoin a YAML block folded by hand: Chinese lines break mid-sentence; a paragraph ends with 。."""
    lines = [line.strip() for line in text.strip().splitlines()]
    return "".join(line + ("\n" if line.endswith("。") else "") for line in lines).strip()


def _metadata(compiled: CompiledRuleset) -> Panel:
    meta = compiled.meta
    rows = [
        ("编号", meta.id), ("简称", meta.short_title), ("地区", meta.region), ("制定机关", meta.issuer),
        ("效力状态", meta.status), ("来源", "、".join(meta.source)),
        ("继承", meta.extends or "（无）"), ("文件", " ← ".join(compiled.files)),
    ]
    body = Group(Para(meta.title, style="bold"), *(Para(f"{key}：{value}") for key, value in rows))
    return Panel(body, title="规则集", title_align="left")


def _quote(cites: Citation, indent: int, titles: Mapping[str, str]) -> list[Any]:
    label = "转述" if cites.paraphrase else "原文"
    return [
        Para(f"依据：{citation_line(cites, titles)}", style="dim", indent=indent),
        Para(f"{label}：“{cites.quote_text}”", indent=indent),
    ]


def _rule(number: int, compiled: CompiledRule, vocab: Vocabulary, own_file: str, titles: Mapping[str, str]) -> Group:
    rule = compiled.rule
    outcome = getattr(rule, "outcome", None)
    arrow = f"　→ {OUTCOME_LABELS[outcome]}" if outcome else ""
    parts: list[Any] = [
        Para(f"{number}. {rule.title}{arrow}", style="bold"),
        Para(f"编号：{rule.id}", indent=3),
        Para(f"条件：{describe(rule.when, vocab)}", indent=3),
    ]
    if isinstance(rule, OutcomeRule):
        parts.append(Para(f"处理幅度：{describe_range(rule.lawful_range, rule.outcome)}", indent=3))
        if rule.point_reason:
            parts.append(Para(f"建议理由：{rule.point_reason}", indent=3))
    parts += _quote(rule.cites, 3, titles)
    if rule.basis == "interpretation":
        parts.append(Para("性质：解释性规则（原文未明确）", style="italic", indent=3))
        for lean in rule.leans_on:
            parts.append(Para(f"参照：{citation_line(lean, titles)}：“{lean.quote_text}”", style="dim", indent=5))
    else:
        parts.append(Para("性质：原文规定", indent=3))
    if rule.note:
        parts.append(Para(f"说明：{rule.note}", style="dim", indent=3))
    if compiled.origin.file != own_file:
        parts.append(Para(f"继承自：{compiled.origin.file}", style="yellow", indent=3))
    return Group(*parts)


def _guidance(label: str, item: Guidance, titles: Mapping[str, str]) -> Group:
    return Group(Text(f"【{label}】", style="bold"), Para(item.text, indent=3), *_quote(item.cites, 3, titles))
