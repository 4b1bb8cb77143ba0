"""Show a ruling on a terminal with Rich. The core never imports this module."""

from __future__ import annotations

from typing import Any, Mapping

from rich.console import Console, Group
from rich.panel import Panel
from rich.rule import Rule as Divider
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from rongcuo_cli.engine.explain import ExplainNode
from rongcuo_cli.render.base import bullet, outcome_headline, range_lines, KIND_TITLES, OUTCOME_STYLES, RESULT_STYLES, Para, citation_line, fact_text
from rongcuo_cli.render.dimensions import dimension_panel
from rongcuo_cli.model.ruleset import Citation
from rongcuo_cli.model.ruling import OUTCOME_LABELS, MeasureAdvice, Presumed, Ruling, TrailEntry, WhatIf
from rongcuo_cli.model.vocabulary import Vocabulary


def render_ruling(ruling: Ruling, console: Console, vocab: Vocabulary) -> None:
    console.print(_header(ruling))
    if ruling.overrides:
        console.print(_overrides(ruling, vocab))
    console.print(_verdict(ruling))
    if ruling.procedure_alerts:
        console.print(_titled_list("程序期限提示", ruling.procedure_alerts, "red"))
    if ruling.exclusions:
        console.print(_titled_list("成立的不予容错情形", _titles(ruling, ruling.exclusions), "red"))
    if ruling.matched:
        console.print(_titled_list("符合的适用情形", _titles(ruling, ruling.matched), "green"))
    if any(entry.kind == "requirement" for entry in ruling.trail):
        console.print(_requirements(ruling))
    console.print(dimension_panel(ruling, vocab))
    if ruling.questions:
        console.print(_questions(ruling))
    if ruling.what_if is not None:
        console.print(_what_if(ruling.what_if))
    if ruling.decisive_facts:
        console.print(_titled_list("决定性事实（单独改变即改变结果）", [d.text for d in ruling.decisive_facts], "blue"))
    if ruling.measure is not None:
        console.print(_measure(ruling.measure, ruling.source_titles))
    if any(step.status for step in ruling.procedure):
        console.print(_deadlines(ruling))
    guidance = [("结果运用", g.text, g.cites) for g in ruling.result_use] + [("下一步", g.text, g.cites) for g in ruling.next_steps]
    if guidance:
        console.print(_guidance(guidance, ruling.source_titles))
    console.print(Divider("审查过程（逐条认定依据）"))
    for kind, title in KIND_TITLES.items():
        entries = [e for e in ruling.trail if e.kind == kind]
        if entries:
            console.print(Text(title, style="bold"))
            for entry in entries:
                console.print(_trail_entry(entry, vocab, ruling.source_titles, {o.fact for o in ruling.overrides}))
    console.print(Para(ruling.notice, style="dim"))


def _header(ruling: Ruling) -> Panel:
    body = Group(
        Para(ruling.case_title, style="bold"),
        Para(f"案件编号：{ruling.case_id}"),
        Para(f"规则集：{ruling.ruleset_title}（{ruling.ruleset}）"),
    )
    return Panel(body, title="容错纠错认定建议", title_align="left")


def _verdict(ruling: Ruling) -> Panel:
    style = OUTCOME_STYLES[ruling.outcome]
    headline = outcome_headline("严格结论：" if ruling.outcome == "undetermined" else "", ruling.outcome)
    eligible = Text("是否符合容错条件：")
    if ruling.exclusions:
        # An exclusion settles the case; whether the conditions would otherwise hold no longer matters.
        eligible.append("不再审查（已有不予容错情形成立）", style="red")
    else:
        eligible.append(ruling.eligible.label, style=RESULT_STYLES[ruling.eligible])
    parts: list[Any] = [headline, *range_lines(ruling.outcome, ruling.range_text, ruling.point_reason)]
    parts += [Para(f"理由：{ruling.reason}"), eligible]
    if ruling.outcome == "undetermined":
        parts.append(Para("可能的结果：" + "、".join(OUTCOME_LABELS[o] for o in ruling.possible_outcomes)))
    if ruling.approximate:
        parts.append(Para("注意：未知事实的组合过多，超出穷举上限，可能的结果和缺失事实按三值逻辑保守给出（可能多列）；补充事实后再认定。", style="yellow"))
    if ruling.presumed is not None and ruling.presumed.concludes:
        parts.append(_presumed(ruling.presumed))
    return Panel(Group(*parts), title="建议结果", title_align="left", border_style=style.split()[-1])


def _presumed(presumed: Presumed) -> Group:
    """The presumptive ruling, with each presumption as a question to verify: things to 核实, not findings."""
    parts: list[Any] = [Divider(style="dim"), outcome_headline("推定结论（待核实）：", presumed.outcome)]
    parts += range_lines(presumed.outcome, presumed.range_text, presumed.point_reason)
    parts.append(Para(f"理由：{presumed.reason}"))
    parts.append(Para("推定以下不予容错情形的事实不存在，须逐项核实；任何一项核实为“是”，推定结论即不成立：", style="bold"))
    parts += [bullet(f"{n}.", f"核实：{a.question}（推定为 否；{a.fact}）") for n, a in enumerate(presumed.assumptions, 1)]
    if presumed.missing_facts:
        parts.append(Para("另须查明（适用条件的事实，不作推定）：" + "、".join(presumed.missing_facts), style="dim"))
    return Group(*parts)


def _titles(ruling: Ruling, ids: list[str]) -> list[str]:
    titles = {e.rule: e.title for e in ruling.trail}
    return [f"{titles[i]}（{i}）" for i in ids]


def _titled_list(title: str, items: list[str], style: str) -> Panel:
    return Panel(Group(*(bullet("•", item) for item in items)), title=title, title_align="left", border_style=style)




def _requirements(ruling: Ruling) -> Table:
    table = Table(title="一般条件", title_justify="left", show_header=True, expand=False)
    table.add_column("条件", ratio=1)
    table.add_column("结论", no_wrap=True)
    for entry in ruling.trail:
        if entry.kind == "requirement":
            table.add_row(Para(entry.title), Text(entry.result.label, style=RESULT_STYLES[entry.result]))
    return table


def _questions(ruling: Ruling) -> Panel:
    rows = [bullet(f"{n}.", f"{q.question}（{q.fact}）", "bold") for n, q in enumerate(ruling.questions, 1)]
    rows.append(Para("补齐以上事实即可作出认定。", style="dim"))
    return Panel(Group(*rows), title="尚需查明的事实", title_align="left", border_style="magenta")


def _guidance(items: list[tuple[str, str, Citation]], titles: Mapping[str, str]) -> Panel:
    rows: list[Any] = []
    for label, text, cites in items:
        rows.append(bullet(Text(f"【{label}】", style="bold"), text))
        rows.append(Para(f"依据：{citation_line(cites, titles)}", style="dim", indent=8))
    return Panel(Group(*rows), title="结果运用与程序", title_align="left")


def _trail_entry(entry: TrailEntry, vocab: Vocabulary, titles: Mapping[str, str], assumed: frozenset[str] | set[str] = frozenset()) -> Group:
    mark = Text(f"  [{entry.result.label}]", style=RESULT_STYLES[entry.result])
    decided = "　← 决定处理结果" if entry.decided else ""
    parts: list[Any] = [bullet(mark, f"{entry.title}（{entry.rule}）{decided}", "bold" if entry.decided else "")]
    if entry.facts:
        parts.append(Para("事实：" + "；".join(fact_text(name, value, vocab) + ("（假设）" if name in assumed else "") for name, value in entry.facts.items()), indent=7))
    label = "转述" if entry.cites.paraphrase else "原文"
    parts.append(Para(f"依据：{citation_line(entry.cites, titles)}", style="dim", indent=7))
    parts.append(Para(f"{label}：“{entry.cites.quote_text}”", style="dim", indent=7))
    if entry.basis == "interpretation":
        leans = "；".join(c.where(titles) for c in entry.leans_on)
        parts.append(Para("解释性规则（原文未明确）" + (f"，参照：{leans}" if leans else ""), style="italic", indent=7))
    if entry.note:
        parts.append(Para(f"说明：{entry.note}", style="dim", indent=7))
    if entry.range is not None:
        parts.append(Para("处理幅度：" + "、".join(OUTCOME_LABELS[o] for o in entry.range), style="dim", indent=7))
    if entry.point_reason:
        parts.append(Para(f"建议理由：{entry.point_reason}", style="dim", indent=7))
    parts.append(Para(f"来自：{entry.origin}", style="dim", indent=7))
    return Group(*parts)


def _overrides(ruling: Ruling, vocab: Vocabulary) -> Panel:
    rows = [bullet("•", f"{fact_text(o.fact, o.now, vocab)}（{o.fact}；案件文件中为 {fact_text(o.fact, o.was, vocab).split('=', 1)[1]}）") for o in ruling.overrides]
    rows.append(Para("以下结论按假设的事实作出，标有“（假设）”的事实不是案件文件中的取值。", style="dim"))
    return Panel(Group(*rows), title="假设推演（--set）", title_align="left", border_style="yellow")


def _what_if(what_if: WhatIf) -> Panel:
    rows: list[Any] = []
    for branch in what_if.branches:
        outcome = OUTCOME_LABELS[branch.outcome]
        if branch.outcome == "undetermined":
            outcome += "（可能为 " + "、".join(OUTCOME_LABELS[o] for o in branch.possible_outcomes) + "）"
        rows.append(bullet("•", f"若 {branch.fact} 为 {branch.value_label} → {outcome}"))
    if what_if.note:
        rows.append(Para(what_if.note, style="dim"))
    for title, settled in (("最少查明即可予以容错", what_if.settle_favourably), ("最少查明即可认定不予容错", what_if.settle_unfavourably)):
        if what_if.searched:
            rows.append(bullet(Text(f"【{title}】", style="bold"), settled.text if settled else "无论如何回答都不能如此认定"))
    return Panel(Group(*rows), title="假设推演：缺失事实的每种答案", title_align="left", border_style="magenta")


def _measure(measure: MeasureAdvice, titles: Mapping[str, str]) -> Panel:
    rows: list[Any] = [Para(measure.text)]
    if measure.suggested:
        rows.append(bullet(Text("【建议】", style="bold"), "、".join(measure.suggested)))
    if measure.alternatives:
        rows.append(bullet(Text("【可以给予】", style="bold"), "、".join(measure.alternatives)))
    for effect in measure.effects:
        rows.append(bullet(Text(f"【{effect.grade}】", style="bold"), effect.text))
        rows.append(Para(f"依据：{citation_line(effect.cites, titles)}", style="dim", indent=8))
    for cites in measure.cites:
        rows.append(Para(f"依据：{citation_line(cites, titles)}", style="dim"))
    if measure.basis == "interpretation":
        rows.append(Para("解释性建议（原文未明确）", style="italic"))
    return Panel(Group(*rows), title="处理措施建议", title_align="left")


def _deadlines(ruling: Ruling) -> Panel:
    rows: list[Any] = []
    for step in ruling.procedure:
        if step.status is None:
            continue
        mark, style = {True: ("按期", "green"), False: ("逾期", "bold red"), None: ("待查", "magenta")}[step.status.timely]
        rows.append(bullet(Text(f"【{mark}】", style=style), f"{step.title}：{step.status.text}"))
        rows.append(Para(f"依据：{citation_line(step.cites, ruling.source_titles)}", style="dim", indent=8))
    return Panel(Group(*rows), title="程序与期限（工作日）", title_align="left")


def render_explanation(node: ExplainNode, console: Console, vocab: Vocabulary) -> None:
    tree = Tree(_node_text(node, vocab))
    _grow(tree, node, vocab)
    console.print(tree)


def _grow(tree: Tree, node: ExplainNode, vocab: Vocabulary) -> None:
    for child in node.children:
        _grow(tree.add(_node_text(child, vocab)), child, vocab)


def _node_text(node: ExplainNode, vocab: Vocabulary) -> Text:
    text = Text()
    text.append(f"【{node.result.label}】", style=RESULT_STYLES[node.result])
    text.append(node.label, style="bold" if node.kind == "rule" else "")
    if node.kind == "fact":
        text.append(f"（{fact_text(node.label, node.facts.get(node.label), vocab)}）")
    elif node.facts:
        text.append("（" + "；".join(f"{name}={fact_text(name, value, vocab).split('=', 1)[1]}" for name, value in node.facts.items()) + "）")
    return text
