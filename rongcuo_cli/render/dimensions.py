"""The ruling's findings grouped by the five judging dimensions (动机态度 … 后果影响).

Why: Liwan judges a case "从动机态度、客观条件、程序方法、性质程度、后果影响等5个方面综合考量";
every fact in the vocabulary carries its dimension, so the same view serves
every ruleset: what the case established, and what is still to be found, on
each dimension.
"""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from rongcuo_cli.render.base import Para, fact_text
from rongcuo_cli.model.ruling import Ruling
from rongcuo_cli.model.vocabulary import Vocabulary

TO_FIND = "待查"


def findings_by_dimension(ruling: Ruling, vocab: Vocabulary) -> dict[str, list[tuple[str, Any]]]:
    """Dimension key → (fact, value) read by the ruling; a missing fact has value TO_FIND."""
    values: dict[str, Any] = {}
    for entry in ruling.trail:
        for name, value in entry.facts.items():
            if name == "context" and isinstance(value, list) and isinstance(values.get(name), list):
                values[name] = list(dict.fromkeys(values[name] + value))
            elif values.get(name) is None:
                values[name] = value
    for name in ruling.missing_facts:
        values[name] = TO_FIND
    grouped: dict[str, list[tuple[str, Any]]] = {key: [] for key in vocab.dimensions}
    order = vocab.public_names
    for name in sorted(values, key=lambda n: order.index(n) if n in order else len(order)):
        # An empty tag list only says no rule's tags were present: not a finding.
        if values[name] is not None and values[name] != []:
            grouped.setdefault(vocab.dimension_of(name), []).append((name, values[name]))
    return grouped


def dimension_panel(ruling: Ruling, vocab: Vocabulary) -> Panel:
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True, style="bold")
    table.add_column(ratio=1)
    for key, items in findings_by_dimension(ruling, vocab).items():
        lines = [
            Para(f"{vocab.variable_label(name)}={TO_FIND}", style="magenta") if value == TO_FIND else Para(fact_text(name, value, vocab))
            for name, value in items
        ]
        table.add_row(vocab.dimensions.get(key, key), Group(*lines) if lines else Text("（未涉及）", style="dim"))
    return Panel(table, title="五个方面综合考量（所读事实）", title_align="left")
