"""Read and validate one case file."""

from __future__ import annotations

from pathlib import Path

from . import yaml_source
from .case import CaseBase, case_model
from .diagnostics import UserError
from .measures import check_range
from .validation import validate


def load_case(path: Path) -> CaseBase:
    """Parse and validate a case file; every problem raises one UserError."""
    doc = yaml_source.load(path)
    case = validate(case_model(), doc, context="案件")
    problems = check_range(case, doc)
    if problems:
        raise UserError(problems)
    return case
