"""Read and validate one case file."""

from __future__ import annotations

from pathlib import Path

from functools import lru_cache

from rongcuo_cli.load import yaml_source
from rongcuo_cli.load.ladders import check_range
from rongcuo_cli.load.validation import validate
from rongcuo_cli.load.vocabulary import load_vocabulary
from rongcuo_cli.model.case import CaseBase, build_case_model
from rongcuo_cli.model.diagnostics import UserError


@lru_cache(maxsize=1)
def case_model() -> type[CaseBase]:
    """The case model for the shipped vocabulary."""
    return build_case_model(load_vocabulary())


def load_case(path: Path) -> CaseBase:
    """Parse and validate a case file; every problem raises one UserError."""
    case, _ = read_case(path)
    return case


def read_case(path: Path) -> tuple[CaseBase, yaml_source.Document]:
    """The case and its document, for callers that report positions across files."""
    doc = yaml_source.load(path)
    case = validate(case_model(), doc, context="案件")
    problems = check_range(case, doc)
    if problems:
        raise UserError(problems)
    return case, doc
