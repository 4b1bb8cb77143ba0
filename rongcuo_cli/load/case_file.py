"""Read and validate one case file."""

from __future__ import annotations

from pathlib import Path

import datetime as dt
from functools import lru_cache
from typing import Any

from pydantic import ValidationError

from rongcuo_cli.load import fast_source, trusted_source, yaml_source
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
    """The case and its document, for callers that report positions across files.

    Why two ways: libyaml reads a well-formed case file many times faster than
    the round-trip loader, whose positions only a problem needs. The fast way
    is taken only when the data is certain (``fast_source`` defers on any doubt,
    and on limits the round-trip loader would refuse) and the case is valid;
    anything else goes the round-trip way, which gives the positioned diagnostics.
    """
    text = yaml_source.read_text(path)
    found = _fast(text, str(path))
    if found is not None:
        return found
    doc = yaml_source.parse(text, str(path))
    return _validated(doc), doc


def _fast(text: str, file: str) -> tuple[CaseBase, yaml_source.Document] | None:
    """The valid case and its document (positions on demand) from the libyaml data, or None to go the round-trip way."""
    try:
        data = fast_source.parse_case_text(text)
    except fast_source.Defer:
        return None
    if not isinstance(data, dict) or not _within_limits(data, [yaml_source.MAX_NODES]):
        return None
    try:
        case = case_model().model_validate(data)
    except ValidationError:
        return None
    doc = trusted_source.LazyDocument(file, text, data)
    problems = check_range(case, doc)  # the same data, so the same positions, computed only for a problem
    if problems:
        raise UserError(problems)
    return case, doc


def _within_limits(value: Any, budget: list[int]) -> bool:
    """Whether the round-trip loader would read ``value`` without refusing it: node count and integer length."""
    budget[0] -= 1
    if budget[0] <= 0:
        return False
    if isinstance(value, dict):
        budget[0] -= len(value)  # the keys
        return all(_within_limits(item, budget) for item in value.values())
    if isinstance(value, list):
        return all(_within_limits(item, budget) for item in value)
    if isinstance(value, int) and not isinstance(value, bool):
        return len(str(abs(value))) < yaml_source.MAX_INTEGER_DIGITS
    return True


# Where a case given as data (the Python API) is said to come from in its diagnostics.
DATA_SOURCE = "<案件数据>"


def case_from_data(data: dict[str, Any], source: str = DATA_SOURCE) -> CaseBase:
    """Validate a case given as a mapping, exactly as a case file is; its problems have no line or column.

    Why dates are converted: YAML gives ``datetime.date`` for an unquoted date
    and the case model takes only that (a quoted date in a file is an error),
    but a caller's mapping naturally holds ISO text.
    """
    dates = data.get("dates")
    if isinstance(dates, dict):
        data = {**data, "dates": {key: _iso_date(value) for key, value in dates.items()}}
    try:
        return _validated(yaml_source.Document(file=source, data=data))
    except UserError as exc:
        raise UserError([d.model_copy(update={"line": None, "column": None}) for d in exc.diagnostics]) from None


def _iso_date(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value  # left for validation to report
    return value


def _validated(doc: yaml_source.Document) -> CaseBase:
    case = validate(case_model(), doc, context="案件")
    problems = check_range(case, doc)
    if problems:
        raise UserError(problems)
    return case
