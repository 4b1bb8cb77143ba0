"""``rongcuo facts``: the facts a ruleset reads, with their questions and the values a case file may write."""

from __future__ import annotations

import typer

from rongcuo_cli.cli.guard import guarded


def facts(
    ruleset: str = typer.Option(..., "--ruleset", "-r", metavar="规则集", help="规则集编号（如 jiaozuo）或规则集文件路径"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出（每项：事实、维度、名称、问题、可写的值）"),
    no_color: bool = typer.Option(False, "--no-color", help="不使用颜色（也可设置环境变量 NO_COLOR）"),
) -> None:
    def run() -> None:
        from dataclasses import asdict

        from rongcuo_cli.engine.intake import fact_sheet
        from rongcuo_cli.load.ruleset_loader import load_ruleset
        from rongcuo_cli.load.vocabulary import load_vocabulary
        from rongcuo_cli.model.safe_text import json_document

        compiled = load_ruleset(ruleset)
        entries = fact_sheet(compiled, load_vocabulary())
        if as_json:
            typer.echo(json_document([asdict(e) for e in entries]), nl=False)
            return
        from rongcuo_cli.cli.console import make_console
        from rongcuo_cli.render.facts import render_facts

        render_facts(entries, make_console(no_color=no_color), f"{compiled.meta.title}（{compiled.meta.id}）")

    guarded(run)
