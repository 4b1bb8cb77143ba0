"""``rongcuo coverage``: which rules a folder of cases exercises."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from rongcuo_cli.cli.exit_codes import ExitCode
from rongcuo_cli.cli.guard import guarded


if TYPE_CHECKING:
    from rich.console import Console

    from rongcuo_cli.authoring.coverage import CoverageReport


def coverage(
    cases_dir: Path = typer.Argument(..., metavar="案件目录", help="案件目录（含子目录中的 .yaml 文件）", show_default=False),
    ruleset: str = typer.Option(..., "--ruleset", "-r", metavar="规则集", help="规则集编号（如 jiaozuo）或规则集文件路径"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出统计"),
    no_color: bool = typer.Option(False, "--no-color", help="不使用颜色"),
) -> None:
    def run() -> int:
        from rongcuo_cli.authoring.coverage import measure
        from rongcuo_cli.load.ruleset_loader import load_ruleset
        from rongcuo_cli.load.vocabulary import load_vocabulary
        from rongcuo_cli.cli.console import make_console, print_diagnostics
        from rongcuo_cli.cli.output import to_json

        report = measure(cases_dir, load_ruleset(ruleset), load_vocabulary())
        print_diagnostics(report.errors, make_console(no_color=no_color, stderr=True))
        if as_json:
            typer.echo(to_json(report), nl=False)
        else:
            _print_report(report, make_console(no_color=no_color))
        return ExitCode.INVALID_INPUT if report.errors else ExitCode.OK

    code = guarded(run)
    if code:
        raise typer.Exit(code)


def _print_report(report: CoverageReport, console: Console) -> None:
    from rich.table import Table
    from rich.text import Text

    from rongcuo_cli.render.base import Para
    from rongcuo_cli.model.ruleset import KIND_LABELS

    table = Table(title=f"规则覆盖：{report.ruleset}，{len(report.cases)} 个案件", title_justify="left")
    table.add_column("类别", overflow="fold", max_width=8)  # 不予容错情形 folds: the numbers must stay whole at 80 columns
    # Rule ids are what a reviewer searches for: never cut them; the title folds instead.
    table.add_column("规则", overflow="fold", max_width=max((len(r.rule) for r in report.rules), default=4))
    table.add_column("标题", ratio=1, min_width=10)
    for column in ("成立", "不成立", "未知", "给出结果"):
        table.add_column(column, justify="right", no_wrap=True)
    for rule in report.rules:
        style = "" if rule.true else "yellow"
        decided = str(rule.decided) if rule.kind == "outcome" else ""
        table.add_row(KIND_LABELS[rule.kind], Text(rule.rule, style=style), Para(rule.title), str(rule.true), str(rule.false), str(rule.unknown), decided)
    console.print(table)
    titles = {rule.rule: rule.title for rule in report.rules}
    console.print(Text(f"成立过：{len(report.fired)} 条规则"))
    for heading, ids, style in (("从未成立", report.never_fired, "yellow"), ("曾因事实缺失而未知", report.left_unknown, "")):
        console.print(Text(f"{heading}：{len(ids)} 条", style=style))
        for rule_id in ids:
            console.print(Para(f"- {rule_id}  {titles[rule_id]}", indent=2))
    if report.errors:
        console.print(Text(f"{len(report.errors)} 个问题未计入统计（见上）", style="bold red"))
