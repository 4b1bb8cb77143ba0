"""Write batch records as JSONL, one JSON array or CSV, streamed and atomic.

Why streamed: a year of cases must not sit in memory. Atomic writing (a
temporary file renamed at the end, see ``atomic``) is the caller's business.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import IO, Protocol

from rongcuo_cli.batch.record import FileResult
from rongcuo_cli.model.safe_text import escape

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
        # Two writes, not ``json + b"\n"``: a record is 30 KB, and copying it costs more than a call.
        self.handle.write(result.json)
        self.handle.write(b"\n")

    def close(self) -> None:
        self.handle.flush()


class JsonArraySink:
    """One JSON array, one record per line, so it can still be streamed."""

    def __init__(self, handle: IO[bytes]):
        self.handle = handle
        self.count = 0

    def write(self, result: FileResult) -> None:
        self.handle.write(b"[\n" if self.count == 0 else b",\n")
        self.handle.write(result.json)
        self.count += 1

    def close(self) -> None:
        self.handle.write(b"\n]\n" if self.count else b"[]\n")
        self.handle.flush()


class CsvSink:
    """One row per case; lists joined with ``;``; the error as ``line:column: message``; every cell through ``csv_cell``.

    ``presumed_outcome`` is filled only for an undetermined ruling: the outcome if
    its presumptions are verified (contract 2, ``presumed``).
    """

    def __init__(self, handle: IO[bytes], *, bom: bool = True):
        self.handle = io.TextIOWrapper(handle, encoding="utf-8", newline="", write_through=True)
        if bom:  # Excel and WPS read a CSV without it in the local code page: mojibake
            self.handle.write("\ufeff")
        self.writer = csv.writer(self.handle, lineterminator="\n")
        self.writer.writerow(CSV_COLUMNS)

    def write(self, result: FileResult) -> None:
        error = result.first_error
        where = f"{error.line or ''}:{error.column or ''}: " if error and error.line is not None else ""
        self.writer.writerow(map(csv_cell, [
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
        ]))

    def close(self) -> None:
        self.handle.flush()
        self.handle.detach()  # the caller owns (and closes) the binary handle


# A cell starting with one of these is a formula to a spreadsheet (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def csv_cell(text: str) -> str:
    """A cell a spreadsheet shows as the text it is: controls escaped, a would-be formula prefixed with `'`.

    Plain numbers (``-3``, ``+1.5``) stay numbers.
    """
    text = escape(text)
    if text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


SINKS: dict[str, type] = {"jsonl": JsonlSink, "json": JsonArraySink, "csv": CsvSink}


def make_sink(fmt: str, handle: IO[bytes], *, bom: bool = True) -> Sink:
    """The writer for ``fmt``; ``bom`` puts a UTF-8 byte order mark before a CSV (the default, for spreadsheets)."""
    if fmt == "csv":
        return CsvSink(handle, bom=bom)
    return SINKS[fmt](handle)
