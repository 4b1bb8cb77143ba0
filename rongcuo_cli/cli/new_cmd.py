"""``rongcuo new``: write a case file by answering the ruleset's questions (or a blank template)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer

from rongcuo_cli.cli.exit_codes import ExitCode
from rongcuo_cli.cli.guard import guarded

if TYPE_CHECKING:
    from rich.console import Console

    from rongcuo_cli.engine.intake import Intake
    from rongcuo_cli.load.ruleset_loader import CompiledRuleset
    from rongcuo_cli.model.vocabulary import Vocabulary


def new(
    ruleset: str = typer.Option(..., "--ruleset", "-r", metavar="规则集", help="规则集编号（如 jiaozuo）或规则集文件路径：按它的事实提问"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="文件", help="写入的案件文件（原子写入）；不给则打印到标准输出"),
    template: bool = typer.Option(False, "--template", help="不提问，写出带问题注释的空白案件文件"),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的输出文件"),
) -> None:
    def run() -> None:
        from rongcuo_cli.authoring.case_writer import case_text
        from rongcuo_cli.cli.console import make_console
        from rongcuo_cli.cli.output import files_read, refuse_overwriting_inputs, write_output
        from rongcuo_cli.engine.intake import facts_read
        from rongcuo_cli.load.ruleset_loader import load_ruleset
        from rongcuo_cli.load.vocabulary import load_vocabulary
        from rongcuo_cli.model.diagnostics import Diagnostic, UsageError

        compiled = load_ruleset(ruleset)
        vocab = load_vocabulary()
        refuse_overwriting_inputs(output, [], files_read(compiled))
        if output is not None and output.exists() and not force:  # checked before any question is asked
            raise UsageError([Diagnostic(file=str(output), code="output-exists", message="输出文件已存在", hint="换一个文件名，或加 --force 覆盖")])
        err = make_console(stderr=True)
        source = f"rongcuo new --ruleset {compiled.meta.id}"
        if template:
            blank = {"case_id": None, "title": None, "subject": {"kind": "individual"}}
            text = case_text(blank, facts_read(compiled, vocab), {}, vocab, source=source + " --template")
            ruling = None
        else:
            intake = _interview(compiled, vocab, err)
            text = case_text(intake.header, vocab.in_order(intake.answers), intake.answers, vocab, source=source)
            ruling = intake.ruling()
        if output is None:
            typer.echo(text, nl=False)
        else:
            write_output(output, text)
            err.print(f"已写入 {output}", markup=False)
        if ruling is not None:
            unsure = "；尚缺事实：" + "、".join(ruling.missing_facts) if ruling.missing_facts else ""
            err.print(f"认定建议：{ruling.outcome_label}（{ruling.outcome}）{unsure}", markup=False)

    guarded(run)


def _interview(compiled: CompiledRuleset, vocab: Vocabulary, err: Console) -> Intake:
    """The answers, from a terminal prompt or one per line; Ctrl-C (130) or an early end (1) writes nothing."""
    from rongcuo_cli.cli.intake_prompts import LinePrompter, TerminalPrompter, ask_case

    try:
        if sys.stdin.isatty():
            prompter = TerminalPrompter()
        else:
            prompter = LinePrompter(sys.stdin, lambda line: err.print(line, markup=False, highlight=False, soft_wrap=True), vocab)
        return ask_case(prompter, compiled, vocab)
    except KeyboardInterrupt:
        err.print("已中断：未写出案件文件", markup=False)
        raise typer.Exit(ExitCode.INTERRUPTED) from None
    except EOFError:
        err.print("输入在回答完问题之前结束：未写出案件文件", markup=False)
        raise typer.Exit(ExitCode.INVALID_INPUT) from None
