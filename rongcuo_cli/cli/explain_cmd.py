"""``rongcuo explain``: the evaluation tree of one rule for one case."""

from __future__ import annotations

from pathlib import Path

import typer

from rongcuo_cli.cli.assess_cmd import SET_HELP
from rongcuo_cli.cli.guard import guarded


def explain(
    case_file: Path = typer.Argument(..., metavar="案件文件", help="案件文件（YAML）", show_default=False),
    rule_id: str = typer.Argument(..., metavar="规则编号", help="规则编号（见 assess 的审查过程）", show_default=False),
    ruleset: str = typer.Option(..., "--ruleset", "-r", metavar="规则集", help="规则集编号（如 jiaozuo）或规则集文件路径"),
    overrides: list[str] = typer.Option([], "--set", metavar="事实=取值", help=SET_HELP),
    no_color: bool = typer.Option(False, "--no-color", help="不使用颜色（也可设置环境变量 NO_COLOR）"),
) -> None:
    def run() -> None:
        from rongcuo_cli.engine.advice import case_for
        from rongcuo_cli.load.case_file import load_case
        from rongcuo_cli.engine.assess import environment
        from rongcuo_cli.engine.explain import explain_rule
        from rongcuo_cli.render.ruling import render_explanation
        from rongcuo_cli.load.ruleset_loader import load_ruleset
        from rongcuo_cli.engine.versions import assess_in_time
        from rongcuo_cli.load.vocabulary import load_vocabulary
        from rongcuo_cli.engine.whatif import parse_overrides
        from rongcuo_cli.cli.console import make_console

        vocab = load_vocabulary()
        compiled = load_ruleset(ruleset)
        case = case_for(load_case(case_file), vocab, parse_overrides(overrides, vocab))
        _, applied = assess_in_time(case, compiled, vocab)
        tree = explain_rule(applied, rule_id, environment(case, vocab))
        render_explanation(tree, make_console(no_color=no_color), vocab)

    guarded(run)
