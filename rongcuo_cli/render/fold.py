"""Folding Chinese text into lines of a given width in terminal cells.

Why apart from ``render.base``: the help formatter folds text too, and
``rongcuo --help`` must not import the models that the renderers of rulings need.
"""

from __future__ import annotations

from rich.cells import cell_len


# Chinese line breaking (禁则): no line starts with closing punctuation, none ends with an opening one.
NO_LINE_START = frozenset("，。、；：？！）》」』】〕”’…·%,.;:?!)]}")
NO_LINE_END = frozenset("（《「『【〔“‘([{")


def fold(text: str, width: int) -> list[str]:
    """``text`` cut into lines of at most ``width`` cells, between any two characters, keeping the 禁则.

    A character that may not start a line takes the previous character down
    with it; a line never ends with an opening bracket or quote. A line is
    never left empty, however narrow the width.
    """
    lines: list[str] = []
    line = ""
    for char in text:
        if line and cell_len(line + char) > width:
            cut = len(line)
            while cut > 1 and (char if cut == len(line) else line[cut]) in NO_LINE_START:
                cut -= 1
            while cut > 1 and line[cut - 1] in NO_LINE_END:
                cut -= 1
            if _in_word(line, cut, char):  # a Latin word or number moves down whole, if it can
                start = cut
                while start > 0 and _word_char(line[start - 1]):
                    start -= 1
                cut = start or cut
            lines.append(line[:cut])
            line = line[cut:]
        line += char
    lines.append(line)
    return lines


def _word_char(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char in "_-./")


def _in_word(line: str, cut: int, char: str) -> bool:
    after = char if cut == len(line) else line[cut]
    return _word_char(line[cut - 1]) and _word_char(after)
