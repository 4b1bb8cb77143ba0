"""The one-screen ruling: what a case handler reads first (at most 60 lines at 80 columns).

Why: the full view (``--detail``) is the record of every check; a handler
first needs the recommended outcome and its lawful range, the reasons with
the clauses that carry them, what is still to find or verify, and what to do
next. Only Chinese here: rule and fact ids are for ``--detail`` and JSON.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group
from rich.panel import Panel

from rongcuo_cli.engine.whatif import value_label
from rongcuo_cli.model.ruling import OUTCOME_LABELS, Ruling, TrailEntry
from rongcuo_cli.model.vocabulary import Vocabulary
from rongcuo_cli.render.base import OUTCOME_STYLES, Para, bullet, outcome_headline, range_lines

# Items listed per panel; the rest are counted and left to --detail.
SHOWN = 4


def render_brief(ruling: Ruling, console: Console, vocab: Vocabulary) -> None:
    console.print(_header(ruling))
    if ruling.overrides:  # a what-if must never pass for the ruling on the file's facts
        changed = [
            f"{o.label}：{value_label(o.fact, o.was, vocab)} → {value_label(o.fact, o.now, vocab)}" for o in ruling.overrides
        ]
        console.print(_listed("假设推演：以下结论按假设的事实作出，不是案件文件的认定", changed, "yellow"))
    console.print(_verdict(ruling))
    decisive = [_decisive_text(d, vocab) for d in ruling.decisive_facts or []]
    if decisive:
        console.print(_listed("决定性事实（单独改变即改变结果）", decisive, "blue"))
    assumed = {a.fact for a in ruling.presumed.assumptions} if ruling.presumed and ruling.presumed.concludes else set()
    to_find = [q.question for q in ruling.questions if q.fact not in assumed]
    if to_find:
        console.print(_listed("尚需查明", to_find, "magenta", numbered=True))
    steps = _next_steps(ruling)
    if steps:
        console.print(_listed("下一步", steps, "cyan"))
    console.print(Para("完整的审查过程和逐条依据：加 --detail；机器可读的结果：--json", style="dim"))
    console.print(Para(ruling.notice, style="dim"))


def _header(ruling: Ruling) -> Panel:
    body = Group(Para(ruling.case_title, style="bold"), Para(f"案件编号：{ruling.case_id}　规则集：{ruling.ruleset_title}"))
    return Panel(body, title="容错纠错认定建议", title_align="left")


def _verdict(ruling: Ruling) -> Panel:
    undetermined = ruling.outcome == "undetermined"
    parts: list[Any] = [outcome_headline("严格结论：" if undetermined else "", ruling.outcome)]
    parts += range_lines(ruling.outcome, ruling.range_text, None)  # the point's reason is part of the reasons below
    parts.append(Para("理由：" + _reasons(ruling)))
    if undetermined:
        parts.append(Para("视补充查明的事实，可能为：" + "、".join(OUTCOME_LABELS[o] for o in ruling.possible_outcomes)))
    presumed = ruling.presumed
    if presumed is not None and presumed.concludes:
        parts.append(outcome_headline("推定结论（待核实）：", presumed.outcome))
        parts += range_lines(presumed.outcome, presumed.range_text, None)
        parts.append(Para("推定以下不予容错情形的事实不存在，须逐项核实，任何一项为“是”即不成立：", style="bold"))
        questions = [f"核实：{a.question}（推定为 否）" for a in presumed.assumptions]
        parts += _items(questions, numbered=True)
    style = OUTCOME_STYLES[ruling.outcome].split()[-1]
    return Panel(Group(*parts), title="建议结果", title_align="left", border_style=style)


def _reasons(ruling: Ruling) -> str:
    """Two or three sentences naming each clause by its document and article or item."""
    entries = {entry.rule: entry for entry in ruling.trail}
    titles = ruling.source_titles

    def named(entry: TrailEntry) -> str:
        return f"{entry.title}（{entry.cites.where(titles)}）"

    if ruling.exclusions:
        held = [named(entries[i]) for i in ruling.exclusions[:2]]
        return "存在不予容错情形：" + "；".join(held) + "。"
    failed = [e for e in ruling.trail if e.kind == "requirement" and e.result == "false"]
    if ruling.outcome == "not_tolerated" and failed:
        return "不符合容错的一般条件：" + "；".join(named(e) for e in failed[:2]) + "。"
    if ruling.outcome == "not_tolerated":
        return "不属于所适用规定中的任何容错情形。"
    sentences = []
    if ruling.matched:
        more = f"等 {len(ruling.matched)} 项适用情形" if len(ruling.matched) > 1 else ""
        sentences.append(f"符合{named(entries[ruling.matched[0]])}{more}。")
    if ruling.outcome == "undetermined":
        sentences.append(f"尚缺 {len(ruling.missing_facts)} 项事实，还不能认定。")
        return "".join(sentences)
    decided = next((e for e in ruling.trail if e.decided), None)
    if ruling.point_reason:
        sentences.append(ruling.point_reason)
    elif decided is not None:
        sentences.append(f"{named(decided)}。")
    return "".join(sentences)


def _decisive_text(fact: Any, vocab: Vocabulary) -> str:
    outcome = OUTCOME_LABELS[fact.outcome]
    if fact.outcome == "undetermined":
        outcome += "（可能为 " + "、".join(OUTCOME_LABELS[o] for o in fact.possible_outcomes) + "）"
    if fact.fact == "context":
        return f"若工作情境改为“{value_label('context', fact.alternative, vocab)}” → {outcome}"
    return f"若“{fact.label}”为 {value_label(fact.fact, fact.alternative, vocab)} → {outcome}"


def _next_steps(ruling: Ruling) -> list[str]:
    steps = [alert for alert in ruling.procedure_alerts]
    steps += [guidance.text for guidance in ruling.next_steps[:1]]
    steps += [f"{step.title}：{step.status.text}" for step in ruling.procedure if step.status is not None and step.status.timely is None]
    return steps


def _items(texts: list[str], *, numbered: bool = False) -> list[Any]:
    shown: list[Any] = [bullet(f"{n}." if numbered else "•", t) for n, t in enumerate(texts[:SHOWN], 1)]
    if len(texts) > SHOWN:
        shown.append(Para(f"另有 {len(texts) - SHOWN} 项未列出，加 --detail 查看", style="dim"))
    return shown


def _listed(title: str, texts: list[str], style: str, *, numbered: bool = False) -> Panel:
    return Panel(Group(*_items(texts, numbered=numbered)), title=title, title_align="left", border_style=style)
