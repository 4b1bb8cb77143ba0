"""``rongcuo rulesets test``: run the ruleset test files and show what failed, with the trail."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Optional

import typer

from rongcuo_cli.cli.exit_codes import ExitCode
from rongcuo_cli.cli.guard import guarded

if TYPE_CHECKING:
    from rich.console import Console

    from rongcuo_cli.authoring.ruleset_tests import RulesetTestReport, RulesetTestResult

FIELD_LABELS = {
    "outcome": "处理结果", "matched": "适用情形", "exclusions": "不予容错情形", "missing_facts": "缺失事实", "decided_by": "决定结果的一项",
    "outcome_range": "处理幅度", "presumed_outcome": "推定结论", "presumed_range": "推定结论的处理幅度", "presumed_facts": "作出推定的事实",
}


def run_tests(
    names: Optional[list[str]] = typer.Argument(None, metavar="名称", help="规则集编号、规则集文件、测试文件或目录；省略时运行全部随工具提供的规则集测试", show_default=False),
    no_color: bool = typer.Option(False, "--no-color", help="不使用颜色"),
) -> None:
    def run() -> int:
        from rich.text import Text

        from rongcuo_cli.authoring.ruleset_tests import find_test_files, run_test_file, untested_shipped
        from rongcuo_cli.load.vocabulary import load_vocabulary
        from rongcuo_cli.cli.console import make_console

        vocab = load_vocabulary()
        console = make_console(no_color=no_color)
        reports = [run_test_file(source, vocab) for source in find_test_files(list(names or []))]
        for report in reports:
            _print_report(report, console)
        if not names:
            for ruleset_id in untested_shipped():
                console.print(Text(f"注意：规则集 {ruleset_id} 还没有测试文件（rulesets/tests/{ruleset_id}.yaml）", style="yellow"))
        return ExitCode.INVALID_INPUT if any(r.failed for r in reports) else ExitCode.OK

    code = guarded(run)
    if code:
        raise typer.Exit(code)


def _print_report(report: RulesetTestReport, console: Console) -> None:
    from rich.text import Text

    console.print(Text(f"{report.file}（规则集 {report.ruleset}）", style="bold"))
    for result in report.results:
        if result.passed:
            console.print(Text(f"  ✓ {result.name}", style="green"))
        else:
            _print_failure(result, console)
    failed = len(report.failed)
    summary = f"{report.ruleset}：{len(report.results) - failed} 项通过，{failed} 项失败"
    console.print(Text(summary, style="bold red" if failed else "bold green"))


def _print_failure(result: RulesetTestResult, console: Console) -> None:
    from rich.text import Text

    from rongcuo_cli.model.ruleset import KIND_LABELS

    console.print(Text(f"  ✗ {result.name}", style="bold red"))
    for mismatch in result.mismatches:
        console.print(Text(f"      {FIELD_LABELS[mismatch.field]}（{mismatch.field}）：预期 {_show(mismatch.expected)}，实际 {_show(mismatch.actual)}"))
    console.print(Text("      审查过程：", style="dim"))
    for entry in result.ruling.trail:
        facts = "，".join(f"{name}={_show(value)}" for name, value in entry.facts.items())
        mark = "→ " if entry.decided else ""
        console.print(Text(f"        {mark}[{KIND_LABELS[entry.kind]}] {entry.rule}：{entry.result.label}" + (f"（{facts}）" if facts else "")))


def _show(value: Any) -> str:
    return "未知" if value is None else json.dumps(value, ensure_ascii=False)
