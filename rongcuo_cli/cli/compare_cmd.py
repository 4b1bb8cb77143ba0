"""``rongcuo compare``: one case under several rulesets, side by side."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from rongcuo_cli.cli.guard import guarded


def compare(
    case_file: Path = typer.Argument(..., metavar="案件文件", help="案件文件（YAML）", show_default=False),
    rulesets: Optional[str] = typer.Option(None, "--rulesets", "-r", metavar="规则集", help="逗号分隔的规则集编号或路径（默认：全部随附规则集）"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出各规则集的认定结果列表"),
    no_color: bool = typer.Option(False, "--no-color", help="不使用颜色（也可设置环境变量 NO_COLOR）"),
) -> None:
    names = _names(rulesets)

    def run() -> None:
        from rongcuo_cli.load.case_file import load_case
        from rongcuo_cli.engine.comparison import compare as compare_case
        from rongcuo_cli.load.ruleset_loader import load_ruleset
        from rongcuo_cli.load.vocabulary import load_vocabulary
        from rongcuo_cli.cli.output import to_json

        compiled = [load_ruleset(name) for name in names]
        case = load_case(case_file)
        vocab = load_vocabulary()
        comparison = compare_case(case, compiled, vocab)
        if as_json:
            typer.echo(to_json(comparison.rulings), nl=False)
        else:
            from rongcuo_cli.render.compare import render_comparison
            from rongcuo_cli.cli.console import make_console

            render_comparison(comparison, make_console(no_color=no_color), vocab)

    guarded(run)


def _names(option: str | None) -> list[str]:
    from rongcuo_cli.load.ruleset_loader import shipped_ids

    if option is None:
        return shipped_ids()
    names = list(dict.fromkeys(name.strip() for name in option.split(",") if name.strip()))
    if not names:
        raise typer.BadParameter("没有给出任何规则集；例如 --rulesets zhejiang,liwan", param_hint="--rulesets")
    return names
