"""The Typer application and its global options."""

from __future__ import annotations

import typer

from rongcuo_cli import __version__
from rongcuo_cli.cli import assess_cmd, batch_cmd, compare_cmd, coverage_cmd, explain_cmd, rulesets_cmd, schema_cmd, validate_cmd
from rongcuo_cli.cli import facts_cmd, new_cmd
from rongcuo_cli.cli.chinese import install as speak_chinese
from rongcuo_cli.cli.guard import Settings, debug_from_environment

speak_chinese()

app = typer.Typer(
    name="rongcuo",
    help="容错纠错案件认定工具：按地区规则集审查一个案件，给出可以入卷的认定建议和审查过程。",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"rongcuo {__version__}")
        raise typer.Exit()


@app.callback()
def _global(
    debug: bool = typer.Option(False, "--debug", help="内部错误时显示完整的 traceback"),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="显示版本"),
) -> None:
    Settings.debug = debug or debug_from_environment()


app.command("assess", help="按规则集审查一个案件文件，显示认定建议（--json 输出 JSON）。")(assess_cmd.assess)
app.command("compare", help="按多个规则集审查同一案件，并列比较结果和意见分歧的事实（--json 输出认定结果列表）。")(compare_cmd.compare)
app.command("explain", help="显示一条规则对一个案件的求值树：每个节点的三值结论、每个叶子的事实取值。")(explain_cmd.explain)
app.add_typer(rulesets_cmd.app, name="rulesets")
app.command("schema", help="打印 JSON Schema（case / ruleset / test），供编辑器校验和补全。")(schema_cmd.schema)
app.command("coverage", help="统计一批案件中各规则成立、从未成立、未知的情况。")(coverage_cmd.coverage)
app.command("validate", help="只检查案件文件（可给目录）和规则集文件，不作认定；全部有效时退出码为 0。")(validate_cmd.validate)
app.command("batch", help="按规则集批量审查案件文件或目录：每个文件一条记录（jsonl/json/csv），并显示汇总。")(batch_cmd.batch)
app.command("new", help="按规则集逐项提问，写出一个案件文件：只问还能改变认定结果的事实，答 是/否/不清楚；--template 写出空白模板。")(new_cmd.new)
app.command("facts", help="列出规则集认定时读到的事实：按五个维度分组，附中文名称、问题和可写的值（--json 输出 JSON）。")(facts_cmd.facts)
