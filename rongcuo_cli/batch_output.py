"""Write batch records as JSONL, one JSON array or CSV, streamed and atomic.

Why streamed: a year of cases must not sit in memory. Why atomic: a reader
(or a script) must never see a half-written file, also after Ctrl-C; the
records go to a temporary file beside the target, renamed only at the end.
"""

from __future__ import annotations

import contextlib
import csv
import os
import tempfile
from pathlib import Path
from typing import IO, Iterator, Protocol

from .batch_record import FileResult

FORMATS = ("jsonl", "json", "csv")
CSV_COLUMNS = ("file", "case_id", "outcome", "outcome_label", "matched", "exclusions", "missing_facts", "error")


@contextlib.contextmanager
def atomic_text_file(path: Path) -> Iterator[IO[str]]:
    """A text file that appears at ``path`` complete, or not at all."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def format_for(path: Path | None, explicit: str | None) -> str | None:
    """The output format: the one asked for, else the file's extension; None when unknown."""
    if explicit:
        return explicit if explicit in FORMATS else None
    if path is None:
        return "jsonl"
    suffix = path.suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else None


class Sink(Protocol):
    def write(self, result: FileResult) -> None: ...

    def close(self) -> None: ...


class JsonlSink:
    """One JSON object per line, in input order."""

    def __init__(self, handle: IO[str]):
        self.handle = handle

    def write(self, result: FileResult) -> None:
        self.handle.write(result.json)
        self.handle.write("\n")

    def close(self) -> None:
        self.handle.flush()


class JsonArraySink:
    """One JSON array, one record per line, so it can still be streamed."""

    def __init__(self, handle: IO[str]):
        self.handle = handle
        self.count = 0

    def write(self, result: FileResult) -> None:
        self.handle.write("[\n" if self.count == 0 else ",\n")
        self.handle.write(result.json)
        self.count += 1

    def close(self) -> None:
        self.handle.write("\n]\n" if self.count else "[]\n")
        self.handle.flush()


class CsvSink:
    """One row per case; lists joined with ``;``; the error as ``line:column: message``."""

    def __init__(self, handle: IO[str]):
        self.handle = handle
        self.writer = csv.writer(handle, lineterminator="\n")
        self.writer.writerow(CSV_COLUMNS)

    def write(self, result: FileResult) -> None:
        error = result.first_error
        where = f"{error.line or ''}:{error.column or ''}: " if error and error.line is not None else ""
        self.writer.writerow([
            result.file,
            result.case_id or "",
            result.outcome or "",
            result.outcome_label or "",
            ";".join(result.matched),
            ";".join(result.exclusions),
            ";".join(result.missing_facts),
            f"{where}{error.message}" if error else "",
        ])

    def close(self) -> None:
        self.handle.flush()


SINKS: dict[str, type] = {"jsonl": JsonlSink, "json": JsonArraySink, "csv": CsvSink}


def make_sink(fmt: str, handle: IO[str]) -> Sink:
    return SINKS[fmt](handle)
