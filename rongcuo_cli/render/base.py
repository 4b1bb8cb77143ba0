"""Rich building blocks every renderer shares: styles, CJK-folding text, facts and citations as text."""

from __future__ import annotations

from typing import Any, Mapping

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from rongcuo_cli.model.ruleset import Citation
from rongcuo_cli.render.fold import fold
from rongcuo_cli.model.ruling import OUTCOME_LABELS, OUTCOME_MEANINGS
from rongcuo_cli.model.safe_text import escape
from rongcuo_cli.model.tristate import Tri
from rongcuo_cli.model.vocabulary import Vocabulary


OUTCOME_STYLES = {
    "waived": "bold green",
    "reduced": "bold cyan",
    "lighter": "bold yellow",
    "not_tolerated": "bold red",
    "undetermined": "bold magenta",
}
RESULT_STYLES = {Tri.TRUE: "green", Tri.FALSE: "red", Tri.UNKNOWN: "magenta"}
KIND_TITLES = {
    "version": "适用的规则集版本",
    "exclusion": "第一步 不予容错情形（任一成立即不予容错）",
    "requirement": "第二步 一般条件（须全部成立）",
    "situation": "第三步 适用情形（至少一项成立）",
    "outcome": "第四步 处理结果（按顺序取第一项成立者）",
}


class Para:
    """Text folded at the cell width, character by character, with a hanging indent.

    Why: Chinese has no spaces between words, and Rich wraps at spaces, so a
    long clause would jump whole to the next line; Chinese text is broken
    between any two characters instead.
    """

    def __init__(self, text: str, style: str = "", indent: int = 0):
        self.text = escape(text)  # escaped before folding, so the fold counts the cells shown
        self.style = style
        self.indent = indent

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(options.max_width - self.indent, 2)  # never crop: fold however narrow
        pad = " " * self.indent
        for paragraph in self.text.split("\n"):
            for chunk in fold(paragraph, width):
                yield Text(pad + chunk, style=self.style, no_wrap=True, overflow="crop")

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        longest = max((cell_len(p) for p in self.text.split("\n")), default=0) + self.indent
        return Measurement(min(2 + self.indent, longest), longest)


def bullet(mark: Any, text: str, style: str = "") -> Table:
    """A mark (• or 1.) and text folded beside it with a hanging indent."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(mark, Para(text, style=style))
    return grid


def outcome_headline(prefix: str, outcome: str) -> Text:
    """``prefix`` + the outcome in its colour + what it means: 减轻　减轻责任追究（…）."""
    text = Text(prefix)
    text.append(OUTCOME_LABELS[outcome], style=OUTCOME_STYLES[outcome])
    text.append(f"　{OUTCOME_MEANINGS[outcome]}")
    return text


def range_lines(outcome: str, range_text: str, point_reason: str | None) -> list[Para]:
    """The lawful range (only a tolerated outcome has a choice to describe) and why the point was chosen."""
    lines = [Para(f"处理幅度：{range_text}")] if outcome not in ("undetermined", "not_tolerated") else []
    return lines + ([Para(f"建议理由：{point_reason}")] if point_reason else [])


def citation_line(cites: Citation, titles: Mapping[str, str]) -> str:
    """《document》clause, a seed file named by the document it holds (``titles``)."""
    kind = "（转述）" if cites.paraphrase else ""
    return f"{cites.where(titles)}{kind}"


def fact_text(name: str, value: Any, vocab: Vocabulary) -> str:
    label = vocab.variable_label(name)
    if value is None:
        shown = "未知"
    elif isinstance(value, bool):
        shown = "是" if value else "否"
    elif name == "loss":
        shown = vocab.loss.levels.get(value, value)
    elif name == "body":
        shown = vocab.body.values.get(value, value)
    elif isinstance(value, list):
        shown = "、".join(vocab.context.tags.get(tag, tag) for tag in value) or "（不含所列情境）"
    else:
        shown = str(value)
    return f"{label}={shown}"
