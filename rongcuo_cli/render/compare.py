"""Show a comparison of rulesets on a terminal with Rich. The core never imports this module."""

from __future__ import annotations

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from rongcuo_cli.engine.comparison import ROLE_LABELS, Comparison
from rongcuo_cli.render.base import OUTCOME_STYLES, Para
from rongcuo_cli.model.ruling import OUTCOME_LABELS, Ruling
from rongcuo_cli.model.vocabulary import Vocabulary

ROLE_STYLES = {"against": "red", "for": "green", "missing": "magenta", "unused": "dim"}
NONE = "—"


def render_comparison(comparison: Comparison, console: Console, vocab: Vocabulary) -> None:
    console.print(Para(f"{comparison.case_title}（{comparison.case_id}）", style="bold"))
    console.print(_rulings_table(comparison, vocab))
    console.print(_disagreements(comparison))
    console.print(Para("不利：使不予容错情形成立或一般条件不成立；有利：使适用情形成立或决定处理结果；"
                       "缺失：查明后即可认定；未起作用：已读取但不影响结论。", style="dim"))


def _titles(ruling: Ruling, ids: list[str]) -> Para | Text:
    if not ids:
        return Text(NONE, style="dim")
    titles = {e.rule: e.title for e in ruling.trail}
    return Para("\n".join(f"• {titles[i]}" for i in ids))


def _rulings_table(comparison: Comparison, vocab: Vocabulary) -> Table:
    table = Table(title="各规则集的认定", title_justify="left", show_lines=True)
    table.add_column("规则集", no_wrap=True)
    for column, ratio in (("结果", 1), ("符合的适用情形", 3), ("不予容错情形", 2), ("缺失事实", 3)):
        table.add_column(column, ratio=ratio, min_width=8, overflow="fold")
    for ruling in comparison.rulings:
        outcome = Text(OUTCOME_LABELS[ruling.outcome], style=OUTCOME_STYLES[ruling.outcome])
        if ruling.outcome == "undetermined":
            outcome.append("\n可能：\n" + "\n".join(OUTCOME_LABELS[o] for o in ruling.possible_outcomes), style="")
        if ruling.presumed is not None and ruling.presumed.concludes:
            outcome.append("\n推定（待核实）：\n", style="")
            outcome.append(OUTCOME_LABELS[ruling.presumed.outcome], style=OUTCOME_STYLES[ruling.presumed.outcome])
        # Ids, not labels: a case handler scans this column; the labels are in the table below.
        missing = Text(f"{len(ruling.missing_facts)} 项：\n" + "\n".join(ruling.missing_facts)) if ruling.missing_facts else Text(NONE, style="dim")
        table.add_row(
            f"{comparison.short_titles.get(ruling.ruleset, ruling.ruleset)}\n{ruling.ruleset}",
            outcome,
            _titles(ruling, ruling.matched),
            _titles(ruling, ruling.exclusions),
            missing,
        )
    return table


def _disagreements(comparison: Comparison) -> Table | Group:
    if not comparison.disagreements:
        return Group(Text("各规则集对所有事实的作用相同。", style="bold"))
    table = Table(title="规则集意见分歧的事实", title_justify="left")
    table.add_column("事实", ratio=2)
    for ruling in comparison.rulings:
        table.add_column(comparison.short_titles.get(ruling.ruleset, ruling.ruleset), no_wrap=True)
    for item in comparison.disagreements:
        cells = [Text(ROLE_LABELS[item.roles[r.ruleset]], style=ROLE_STYLES[item.roles[r.ruleset]]) for r in comparison.rulings]
        table.add_row(Para(f"{item.label}\n{item.fact}"), *cells)
    return table
