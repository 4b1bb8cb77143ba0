"""Read and validate one case file."""

from __future__ import annotations

from pathlib import Path

from . import yaml_source
from .case import CaseBase, case_model
from .validation import validate


def load_case(path: Path) -> CaseBase:
    """Parse and validate a case file; every problem raises one UserError."""
    return validate(case_model(), yaml_source.load(path), context="案件")
