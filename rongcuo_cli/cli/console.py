"""Consoles and the printing of diagnostics."""

from __future__ import annotations

import unicodedata

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from ..diagnostics import Diagnostic

# Characters of a long source line shown on each side of the column.
SOURCE_WINDOW = 60


def make_console(*, no_color: bool = False, stderr: bool = False) -> Console:
    # Rich already honours NO_COLOR; --no-color adds the same for one run.
    return Console(no_color=no_color or None, stderr=stderr, highlight=False, soft_wrap=False)


def print_diagnostics(diagnostics: list[Diagnostic], console: Console, *, label: str = "错误", style: str = "bold red") -> None:
    for diagnostic in diagnostics:
        line = Text()
        line.append(location(diagnostic), style="bold")
        line.append(": ")
        line.append(label, style=style)
        line.append(f"[{diagnostic.code}] ", style="dim")
        line.append(diagnostic.message)
        # One diagnostic, one line: `file:line:col: message` must stay greppable at any width.
        console.print(line, soft_wrap=True)
        for source in _source_with_caret(diagnostic):
            console.print(source, soft_wrap=True)
        if diagnostic.hint:
            console.print(Text(f"    提示：{diagnostic.hint}", style="cyan"), soft_wrap=True)


def _source_with_caret(diagnostic: Diagnostic) -> list[Text]:
    """The offending line and a caret under the column, measured in terminal cells (CJK is two)."""
    if diagnostic.source_line is None:
        return []
    # A tab shown as one space, a control character as one "?", keep the caret under the right character.
    source = "".join(" " if char == "\t" else "?" if unicodedata.category(char) == "Cc" else char for char in diagnostic.source_line)
    column = max(1, diagnostic.column or 1)
    start = max(0, column - 1 - SOURCE_WINDOW)
    shown = source[start: column - 1 + SOURCE_WINDOW]
    prefix = "…" if start else ""
    suffix = "…" if len(source) > column - 1 + SOURCE_WINDOW else ""
    pad = cell_len(prefix + source[start: column - 1])
    return [Text(f"    | {prefix}{shown}{suffix}", style="dim"), Text("    | " + " " * pad + "^", style="bold red")]


def location(diagnostic: Diagnostic) -> str:
    where = diagnostic.file
    if diagnostic.line is not None:
        where += f":{diagnostic.line}"
        if diagnostic.column is not None:
            where += f":{diagnostic.column}"
    return where
