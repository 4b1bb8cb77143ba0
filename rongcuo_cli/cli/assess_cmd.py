"""``rongcuo assess``: one case, one ruleset, one ruling."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from rongcuo_cli.cli.documents import DOCUMENT_HELP, TEMPLATE_HELP
from rongcuo_cli.cli.guard import guarded


SET_HELP = "假设推演：替换一项事实后重新审查，可多次使用，如 --set collective_decision=false --set loss=moderate --set context=a,b；写 `事实=` 表示未知"


def assess(
    case_file: Path = typer.Argument(..., metavar="案件文件", help="案件文件（YAML）", show_default=False),
    ruleset: str = typer.Option(..., "--ruleset", "-r", metavar="规则集", help="规则集编号（如 jiaozuo）或规则集文件路径"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出认定结果（契约二）"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="文件", help="把 JSON 结果写入文件（原子写入）"),
    no_color: bool = typer.Option(False, "--no-color", help="不使用颜色（也可设置环境变量 NO_COLOR）"),
    overrides: list[str] = typer.Option([], "--set", metavar="事实=取值", help=SET_HELP),
    no_analysis: bool = typer.Option(False, "--no-analysis", help="不分析决定性事实和假设推演（更快）"),
    detail: bool = typer.Option(False, "--detail", help="显示完整视图：全部适用情形、一般条件、五个方面、假设推演和逐条审查过程（含规则和事实编号）"),
    document: Optional[Path] = typer.Option(None, "--document", metavar="文件", help=DOCUMENT_HELP),
    template: Optional[Path] = typer.Option(None, "--template", metavar="模板文件", help=TEMPLATE_HELP, exists=True, dir_okay=False),
) -> None:
    def run() -> None:
        # Imported here, not at the top: start-up pays only for the command that runs.
        from rongcuo_cli.engine.advice import advise
        from rongcuo_cli.load.case_file import load_case
        from rongcuo_cli.load.ruleset_loader import load_ruleset
        from rongcuo_cli.load.vocabulary import load_vocabulary
        from rongcuo_cli.engine.whatif import parse_overrides
        from rongcuo_cli.cli.output import files_read, refuse_overwriting_inputs, to_json, write_output

        from rongcuo_cli.cli.documents import DocumentWriter, document_format, template_needs

        template_needs(document, template, "--document")
        fmt = document_format(document, template) if document is not None else None  # before anything is read
        compiled = load_ruleset(ruleset)
        refuse_overwriting_inputs(output, [case_file], files_read(compiled))
        vocab = load_vocabulary()
        writer = DocumentWriter(compiled, vocab, template, fmt, [str(case_file)], "--document") if fmt else None
        if writer is not None and document is not None:
            writer.check(document)
        case = load_case(case_file)
        ruling = advise(case, compiled, vocab, overrides=parse_overrides(overrides, vocab), analyse=not no_analysis)
        if output is not None:
            write_output(output, to_json(ruling))
        if writer is not None and document is not None:
            writer.write(document, case_file, case, ruling)
        if as_json:
            typer.echo(to_json(ruling), nl=False)
        elif output is None and document is None:
            from rongcuo_cli.cli.console import make_console

            # Only when a person reads the ruling: the one-screen view, or every check with --detail.
            if detail:
                from rongcuo_cli.render.ruling import render_ruling

                render_ruling(ruling, make_console(no_color=no_color), vocab)
            else:
                from rongcuo_cli.render.brief import render_brief

                render_brief(ruling, make_console(no_color=no_color), vocab)
        else:
            from rongcuo_cli.cli.console import make_console

            for written in (output, document):
                if written is not None:
                    make_console(no_color=no_color, stderr=True).print(f"已写入 {written}：{ruling.outcome_label}（{ruling.outcome}）", markup=False)

    guarded(run)


