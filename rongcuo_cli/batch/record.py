"""One input file of a batch, assessed: its output record and what the summary needs.

Why a separate small record: worker processes send these back to the parent,
which only writes ``json`` and counts the rest, so the ruling is serialised
once, in the worker, and never travels as a model.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from pydantic import ValidationError

from rongcuo_cli.load import fast_source
from rongcuo_cli.load import yaml_source
from rongcuo_cli.model.case import CaseBase
from rongcuo_cli.load.case_file import case_model
from rongcuo_cli.load.case_file import load_case
from rongcuo_cli.model.diagnostics import Diagnostic, UserError
from rongcuo_cli.engine.advice import advise
from rongcuo_cli.engine.assess import environment
from rongcuo_cli.load.ruleset_loader import CompiledRuleset
from rongcuo_cli.batch.ruling_bytes import Fragments, Spliced, ruling_record
from rongcuo_cli.model.ruling import OUTCOME_LABELS
from rongcuo_cli.model.safe_text import json_bytes
from rongcuo_cli.model.vocabulary import Vocabulary

FactsKey = tuple[tuple[str, Any], ...]
COMPACT = (",", ":")  # one record per line, no padding: records are large


@dataclass(frozen=True)
class FileResult:
    """The record written for one file (``json``: UTF-8, one line) plus the facts the summary counts."""

    index: int
    file: str
    json: bytes
    parts: Optional[Spliced] = None  # in transit from a worker instead of ``json`` (see ruling_bytes)
    case_id: Optional[str] = None
    outcome: Optional[str] = None
    outcome_range: tuple[str, ...] = ()
    presumed_outcome: Optional[str] = None  # only for an undetermined ruling
    matched: tuple[str, ...] = ()
    exclusions: tuple[str, ...] = ()
    missing_facts: tuple[str, ...] = ()
    decision: Optional[str] = None
    facts_key: Optional[FactsKey] = None
    errors: tuple[Diagnostic, ...] = ()

    @property
    def outcome_label(self) -> Optional[str]:
        return OUTCOME_LABELS.get(self.outcome) if self.outcome else None

    @property
    def outcome_or_presumed(self) -> Optional[str]:
        """The outcome a handler gets once the presumptions are verified: the strict one when determined."""
        return self.presumed_outcome or self.outcome

    @property
    def first_error(self) -> Optional[Diagnostic]:
        return self.errors[0] if self.errors else None

    @property
    def internal(self) -> bool:
        """A failure of rongcuo itself (a bug or a dead worker), not of the input."""
        return any(d.code in INTERNAL_CODES for d in self.errors)


INTERNAL_CODES = frozenset({"internal", "worker-died"})


def error_result(index: int, file: str, diagnostics: list[Diagnostic]) -> FileResult:
    """The error record: ``{"file", "error": {file, line, column, code, message, hint, diagnostics}}``."""
    first = diagnostics[0].model_dump(mode="json")
    record = {"file": file, "error": {**first, "diagnostics": [d.model_dump(mode="json") for d in diagnostics]}}
    return FileResult(index=index, file=file, json=json_bytes(json.dumps(record, ensure_ascii=False, separators=COMPACT).encode("utf-8")), errors=tuple(diagnostics))


def load_case_fast(path: Path) -> CaseBase:
    """Validate the libyaml data; on any doubt or problem, the round-trip loader gives the diagnostics."""
    try:
        case = case_model().model_validate(fast_source.read(path))
    except (fast_source.Defer, ValidationError):
        return load_case(path)
    if case.measure_range:  # checked against the ladders, with positions
        return load_case(path)
    return case


def assess_file(index: int, path: Path, ruleset: CompiledRuleset, vocab: Vocabulary, *, with_facts: bool = False, with_json: bool = True,
                fragments: Fragments | None = None) -> FileResult:
    """Exactly one result for one file, whatever happens inside (``json`` is empty when not asked for).

    With ``fragments`` (a worker's), a ruling's record comes as ``parts`` for the parent to join.
    """
    file = str(path)
    try:
        case = load_case_fast(path)
        # The ruling `assess --json --no-analysis` gives: versions, measures and deadlines included.
        ruling = advise(case, ruleset, vocab, analyse=False)
    except UserError as exc:
        return error_result(index, file, exc.diagnostics)
    except Exception as exc:  # a bug must cost one record, not the batch
        return error_result(index, file, [internal_error(file, f"内部错误（程序缺陷）：{type(exc).__name__}: {exc}")])
    return FileResult(
        index=index,
        file=file,
        # The same bytes as json_bytes(json.dumps(ruling.as_dict(), COMPACT)): control and bidi characters escaped.
        json=ruling_record(ruling) if with_json and fragments is None else b"",
        parts=fragments.spliced(ruling) if with_json and fragments is not None else None,
        case_id=ruling.case_id,
        outcome=ruling.outcome,
        outcome_range=tuple(ruling.outcome_range),
        presumed_outcome=ruling.presumed.outcome if ruling.presumed else None,
        matched=tuple(ruling.matched),
        exclusions=tuple(ruling.exclusions),
        missing_facts=tuple(ruling.missing_facts),
        decision=case.decision,
        facts_key=tuple(sorted(environment(case, vocab).items())) if with_facts else None,
    )


def internal_error(file: str, message: str, code: str = "internal") -> Diagnostic:
    return Diagnostic(file=file, code=code, message=message, hint="请把该文件和所用命令发给 rongcuo 维护团队")


def duplicate_id_result(result: FileResult, first_file: str) -> FileResult:
    """A later file reusing a case_id becomes an error record pointing at its ``case_id``."""
    line = column = None
    try:
        position = yaml_source.load(Path(result.file)).position(("case_id",))
        line, column = (position.line, position.column) if position else (None, None)
    except UserError:
        pass
    diagnostic = Diagnostic(
        file=result.file, line=line, column=column, code="duplicate-case-id",
        message=f"案件编号 `{result.case_id}` 与 {first_file} 重复；同一批次中案件编号必须唯一",
        hint="给其中一个案件改用新的编号，或只保留一个文件",
    )
    return error_result(result.index, result.file, [diagnostic])
