"""Consoles and the printing of diagnostics."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment
from rich.text import Text

from rongcuo_cli.model.safe_text import UNSAFE, escape
from rongcuo_cli.cli.exit_codes import ExitCode

if TYPE_CHECKING:  # a console is made for rulings too, which need no diagnostics
    from rongcuo_cli.model.diagnostics import Diagnostic

# Characters of a long source line shown on each side of the column.
SOURCE_WINDOW = 60


class SafeConsole(Console):
    """A console that never lets text from files act on the terminal.

    Why here: every view (rulings, diagnostics, summaries, file names) is
    printed through a console, so escaping the text of each rendered segment
    is the one place no renderer can forget. Rich's own control segments
    (colours, cursor moves) pass unchanged.
    """

    def render(self, renderable: RenderableType, options: ConsoleOptions | None = None):  # type: ignore[override]
        for segment in super().render(renderable, options):
            if segment.control or not UNSAFE.search(segment.text):
                yield segment
            else:
                yield Segment(escape(segment.text), segment.style)

    def on_broken_pipe(self) -> None:
        # A reader that went away (`| head`) is no error: stop quietly, as a process killed by SIGPIPE would.
        from rongcuo_cli.cli.streams import silence_stdout

        self.quiet = True
        silence_stdout()
        raise SystemExit(ExitCode.BROKEN_PIPE)


def make_console(*, no_color: bool = False, stderr: bool = False) -> Console:
    # Rich already honours NO_COLOR; --no-color adds the same for one run.
    return SafeConsole(no_color=no_color or None, stderr=stderr, highlight=False, soft_wrap=False)


def print_diagnostics(diagnostics: list[Diagnostic], console: Console, *, label: str = "错误", style: str = "bold red") -> None:
    for diagnostic in diagnostics:
        line = Text()
        # Escaped before Rich sees them: Rich drops BEL, BS and CR silently, and they should show.
        line.append(escape(diagnostic.location), style="bold")
        line.append(": ")
        line.append(label, style=style)
        line.append(f"[{escape(diagnostic.code)}] ", style="dim")
        line.append(escape(diagnostic.message))
        # One diagnostic, one line: `file:line:col: message` must stay greppable at any width.
        console.print(line, soft_wrap=True)
        for source in _source_with_caret(diagnostic):
            console.print(source, soft_wrap=True)
        if diagnostic.hint:
            console.print(Text(f"    提示：{escape(diagnostic.hint)}", style="cyan"), soft_wrap=True)


def _source_with_caret(diagnostic: Diagnostic) -> list[Text]:
    """The offending line and a caret under the column, measured in terminal cells (CJK is two)."""
    if diagnostic.source_line is None:
        return []
    # A tab shown as one space, a control character as one "?", keep the caret under the right character.
    source = "".join(" " if char == "\t" else "?" if unicodedata.category(char) == "Cc" or UNSAFE.match(char) else char for char in diagnostic.source_line)
    column = max(1, diagnostic.column or 1)
    start = max(0, column - 1 - SOURCE_WINDOW)
    shown = source[start: column - 1 + SOURCE_WINDOW]
    prefix = "…" if start else ""
    suffix = "…" if len(source) > column - 1 + SOURCE_WINDOW else ""
    pad = cell_len(prefix + source[start: column - 1])
    return [Text(f"    | {prefix}{shown}{suffix}", style="dim"), Text("    | " + " " * pad + "^", style="bold red")]
