"""``rongcuo rulesets check``: lint rulesets before anyone relies on them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer

from rongcuo_cli.cli.exit_codes import ExitCode
from rongcuo_cli.cli.guard import guarded

if TYPE_CHECKING:
    from rongcuo_cli.authoring.lint import LintReport

SEVERITY_STYLES = {"error": ("错误", "bold red"), "warning": ("警告", "bold yellow")}


def check(
    rulesets: Optional[list[str]] = typer.Argument(None, metavar="规则集", help="规则集编号或规则集文件路径；省略时检查全部随工具提供的规则集", show_default=False),
    strict: bool = typer.Option(False, "--strict", help="有警告也以退出码 1 结束"),
    seeds: Optional[Path] = typer.Option(None, "--seeds", metavar="目录", help="种子文件目录（默认为仓库旁的 ../shared/seeds）", show_default=False),
    no_color: bool = typer.Option(False, "--no-color", help="不使用颜色"),
) -> None:
    def run() -> int:
        from rongcuo_cli.authoring.lint import lint
        from rongcuo_cli.cli.console import make_console
        from rongcuo_cli.load.ruleset_loader import shipped_ids
        from rongcuo_cli.authoring.source_texts import locate
        from rongcuo_cli.load.vocabulary import load_vocabulary

        reports = lint(list(rulesets or shipped_ids()), load_vocabulary(), locate(seeds))
        console = make_console(no_color=no_color)
        for report in reports:
            _print_report(report, console)
        errors = sum(r.count("error") for r in reports)
        warnings = sum(r.count("warning") for r in reports)
        return ExitCode.INVALID_INPUT if errors or (strict and warnings) else ExitCode.OK

    code = guarded(run)
    if code:
        raise typer.Exit(code)


def _print_report(report: LintReport, console) -> None:
    from rich.text import Text

    from rongcuo_cli.cli.console import print_diagnostics

    for finding in report.findings:
        label, style = SEVERITY_STYLES[finding.severity]
        print_diagnostics([finding.diagnostic], console, label=label, style=style)
    errors, warnings = report.count("error"), report.count("warning")
    name = report.ruleset + (f"（{report.title}）" if report.title else "")
    if errors or warnings:
        console.print(Text(f"{name}：{errors} 个错误，{warnings} 个警告", style="bold red" if errors else "bold yellow"))
    else:
        console.print(Text(f"{name}：检查通过", style="bold green"))
