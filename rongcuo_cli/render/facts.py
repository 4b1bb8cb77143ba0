"""``rongcuo facts``: the facts a ruleset reads, one table per judging dimension."""

from __future__ import annotations

from itertools import groupby

from rich import box
from rich.console import Console
from rich.table import Table

from rongcuo_cli.engine.intake import FactEntry


def render_facts(entries: list[FactEntry], console: Console, title: str) -> None:
    console.print(f"{title}：认定时读到的 {len(entries)} 项事实", markup=False)
    for dimension, group in groupby(entries, key=lambda e: e.dimension_label):
        # Folded, never cut: a handler reads the whole question (CJK text has no spaces to wrap at).
        table = Table(title=f"【{dimension}】", title_justify="left", box=box.SIMPLE_HEAD, show_lines=True, expand=True)
        table.add_column("事实", overflow="fold", ratio=2)
        table.add_column("问题", overflow="fold", ratio=3)
        table.add_column("可写的值", overflow="fold", ratio=2)
        for entry in group:
            table.add_row(f"{entry.name}\n{entry.label}", entry.question, "、".join(entry.values))
        console.print(table)
    console.print("事实也可写 true / false；不清楚或不写的视为未知。损失、情境、主体类型可写中文名称、简称或英文编号。", markup=False)
