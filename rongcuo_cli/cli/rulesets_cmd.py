"""``rongcuo rulesets``: what rulesets are shipped."""

from __future__ import annotations

import typer

from .guard import guarded

app = typer.Typer(help="列出或查看规则集。", invoke_without_command=True, rich_markup_mode=None)


@app.callback()
def list_rulesets(
    ctx: typer.Context,
    no_color: bool = typer.Option(False, "--no-color", help="不使用颜色"),
) -> None:
    """列出随工具提供的规则集（编号、名称、地区、来源）。"""
    if ctx.invoked_subcommand is not None:
        return

    def run() -> None:
        from rich.table import Table

        from ..render import Para
        from ..ruleset_loader import all_shipped
        from .console import make_console

        table = Table(title="规则集", title_justify="left")
        for column in ("编号", "名称", "地区", "状态", "来源", "继承"):
            table.add_column(column)
        for compiled in all_shipped():
            meta = compiled.meta
            table.add_row(meta.id, Para(meta.title), Para(meta.region), meta.status, Para("、".join(meta.source)), meta.extends or "")
        make_console(no_color=no_color).print(table)

    guarded(run)
