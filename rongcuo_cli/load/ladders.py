"""The shipped sanction ladders, and the check of a case's ``measure_range`` against them."""

from __future__ import annotations

from functools import lru_cache

from rongcuo_cli.load import yaml_source
from rongcuo_cli.load.resources import load_shipped
from rongcuo_cli.model.case import CaseBase
from rongcuo_cli.model.diagnostics import Diagnostic, suggest
from rongcuo_cli.model.ladders import Ladders

LADDERS_FILE = "_ladders.yaml"


@lru_cache(maxsize=1)
def load_ladders() -> Ladders:
    return load_shipped(LADDERS_FILE, Ladders)


def check_range(case: CaseBase, doc: yaml_source.Document) -> list[Diagnostic]:
    """A case's ``measure_range`` must name grades of one ladder, lightest first."""
    names = case.measure_range
    if not names:
        return []
    ladders = load_ladders()
    problems = [
        doc.diagnostic(("measure_range", i), "unknown-measure", f"未知的处分档次 `{name}`",
                       suggest(name, ladders.names()) or "允许：" + "、".join(ladders.names()))
        for i, name in enumerate(names) if not ladders.placing([name])
    ]
    if problems:
        return problems
    placed = ladders.placing(names)
    if not placed:
        return [doc.diagnostic(("measure_range",), "mixed-measures", f"`{'、'.join(names)}` 不属于同一处分序列", "幅度的两端须同为党纪处分、政务处分或问责方式")]
    if len(placed) > 1:
        labels = "、".join(ladders.ladders[k].label for k in placed)
        return [doc.diagnostic(("measure_range",), "ambiguous-measure", f"`{'、'.join(names)}` 同属{labels}", "写明 党内警告 或 政务警告")]
    ladder = ladders.ladders[placed[0]]
    low, high = ladder.span(names[0], names[-1])
    if low > high:
        return [doc.diagnostic(("measure_range",), "measure-order", f"幅度 `{names[0]}` 重于 `{names[-1]}`", "先写最轻的档次，再写最重的档次")]
    return []
