"""Write batch records as JSONL, one JSON array or CSV, streamed and atomic.

Why streamed: a year of cases must not sit in memory. Atomic writing (a
temporary file renamed at the end, see ``atomic``) is the caller's business.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import IO, Protocol

from .batch_record import FileResult

FORMATS = ("jsonl", "json", "csv")
CSV_COLUMNS = (
    "file", "case_id", "outcome", "outcome_label", "outcome_range", "presumed_outcome",
    "matched", "exclusions", "missing_facts", "error",
)


def format_for(path: Path | None, explicit: str | None) -> str | None:
    """The output format: the one asked for, else the file's extension; None when unknown."""
    if explicit:
        return explicit if explicit in FORMATS else None
    if path is None:
        return "jsonl"
    suffix = path.suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else None


class Sink(Protocol):  # writes to a binary handle: records arrive as UTF-8 bytes
    def write(self, result: FileResult) -> None: ...

    def close(self) -> None: ...


class JsonlSink:
    """One JSON object per line, in input order."""

    def __init__(self, handle: IO[bytes]):
        self.handle = handle

    def write(self, result: FileResult) -> None:
        self.handle.write(result.json + b"\n")

    def close(self) -> None:
        self.handle.flush()


class JsonArraySink:
    """One JSON array, one record per line, so it can still be streamed."""

    def __init__(self, handle: IO[bytes]):
        self.handle = handle
        self.count = 0

    def write(self, result: FileResult) -> None:
        self.handle.write((b"[\n" if self.count == 0 else b",\n") + result.json)
        self.count += 1

    def close(self) -> None:
        self.handle.write(b"\n]\n" if self.count else b"[]\n")
        self.handle.flush()


class CsvSink:
    """One row per case; lists joined with ``;``; the error as ``line:column: message``.

    ``presumed_outcome`` is filled only for an undetermined ruling: the outcome if
    its presumptions are verified (contract 2, ``presumed``).
    """

    def __init__(self, handle: IO[bytes]):
        self.handle = io.TextIOWrapper(handle, encoding="utf-8", newline="", write_through=True)
        self.writer = csv.writer(self.handle, lineterminator="\n")
        self.writer.writerow(CSV_COLUMNS)

    def write(self, result: FileResult) -> None:
        error = result.first_error
        where = f"{error.line or ''}:{error.column or ''}: " if error and error.line is not None else ""
        self.writer.writerow([
            result.file,
            result.case_id or "",
            result.outcome or "",
            result.outcome_label or "",
            ";".join(result.outcome_range),
            result.presumed_outcome or "",
            ";".join(result.matched),
            ";".join(result.exclusions),
            ";".join(result.missing_facts),
            f"{where}{error.message}" if error else "",
        ])

    def close(self) -> None:
        self.handle.flush()
        self.handle.detach()  # the caller owns (and closes) the binary handle


SINKS: dict[str, type] = {"jsonl": JsonlSink, "json": JsonArraySink, "csv": CsvSink}


def make_sink(fmt: str, handle: IO[bytes]) -> Sink:
    return SINKS[fmt](handle)
