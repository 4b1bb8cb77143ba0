"""``rongcuo rulesets``: what rulesets are shipped."""

from __future__ import annotations

import typer

from rongcuo_cli.cli import check_cmd, test_cmd
from rongcuo_cli.cli.guard import guarded

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

        from rongcuo_cli.render.base import Para
        from rongcuo_cli.load.ruleset_loader import all_shipped
        from rongcuo_cli.cli.console import make_console

        table = Table(title="规则集", title_justify="left")
        for column in ("编号", "名称", "地区", "状态", "来源", "继承"):
            table.add_column(column)
        for compiled in all_shipped():
            meta = compiled.meta
            table.add_row(meta.id, Para(meta.title), Para(meta.region), meta.status, Para("、".join(meta.source)), meta.extends or "")
        make_console(no_color=no_color).print(table)

    guarded(run)


@app.command("show")
def show_ruleset(
    ruleset: str = typer.Argument(..., metavar="规则集", help="规则集编号（如 liwan）或规则集文件路径", show_default=False),
    no_color: bool = typer.Option(False, "--no-color", help="不使用颜色"),
) -> None:
    """把规则集显示为可读文档：元数据、覆盖说明、每条规则的条件、引文和性质，便于对照来源审阅。"""
    from rongcuo_cli.render.ruleset import render_ruleset
    from rongcuo_cli.load.ruleset_loader import load_ruleset
    from rongcuo_cli.load.vocabulary import load_vocabulary
    from rongcuo_cli.cli.console import make_console

    guarded(lambda: render_ruleset(load_ruleset(ruleset), make_console(no_color=no_color), load_vocabulary()))


app.command("check", help="检查规则集：未知事实、永不成立的规则、死项与遮蔽、情形重叠、引述与原文、解释依据。")(check_cmd.check)
app.command("test", help="运行规则集测试文件（rulesets/tests/<编号>.yaml）：逐项核对处理结果、适用情形、不予容错情形和缺失事实。")(test_cmd.run_tests)
