"""Consoles and the printing of diagnostics."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from ..diagnostics import Diagnostic


def make_console(*, no_color: bool = False, stderr: bool = False) -> Console:
    # Rich already honours NO_COLOR; --no-color adds the same for one run.
    return Console(no_color=no_color or None, stderr=stderr, highlight=False, soft_wrap=False)


def print_diagnostics(diagnostics: list[Diagnostic], console: Console) -> None:
    for diagnostic in diagnostics:
        line = Text()
        line.append(location(diagnostic), style="bold")
        line.append(": ")
        line.append("错误", style="bold red")
        line.append(f"[{diagnostic.code}] ", style="dim")
        line.append(diagnostic.message)
        # One diagnostic, one line: `file:line:col: message` must stay greppable at any width.
        console.print(line, soft_wrap=True)
        if diagnostic.hint:
            console.print(Text(f"    提示：{diagnostic.hint}", style="cyan"))


def location(diagnostic: Diagnostic) -> str:
    where = diagnostic.file
    if diagnostic.line is not None:
        where += f":{diagnostic.line}"
        if diagnostic.column is not None:
            where += f":{diagnostic.column}"
    return where
