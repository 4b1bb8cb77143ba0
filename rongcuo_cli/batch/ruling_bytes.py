"""A ruling's batch record: compact UTF-8 JSON, unsafe characters escaped, spliced from cached shared parts.

Why: most of a 30 KB record repeats across a batch. The engine shares one
object per distinct trail entry, question, measure and deadline step, and the
guidance and procedure come from the ruleset. Each distinct shared object is
serialised and escaped once and given a number; a record is the rest of the
ruling (about 1.5 KB, serialised per case) with those objects' bytes put in
at their fields. Worker processes send the parent only the rest and the
numbers, plus an object's bytes the first time they use it
(``Fragments.take_new`` / ``FragmentTable``): a twentieth of the bytes
through the pipe.

The bytes are exactly ``json_bytes(json.dumps(ruling.as_dict(),
ensure_ascii=False, separators=(",", ":")).encode())``: escaping is a
substitution of whole UTF-8 sequences inside strings, and the parts are cut
between JSON tokens, so escaping them apart is escaping the whole. The rest
is serialised as runs of consecutive fields (``include``), never searched for
keys, so no text in a case can move a cut.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from typing import Any, Union

from pydantic import BaseModel

from rongcuo_cli.model.ruleset import Guidance
from rongcuo_cli.model.ruling import MeasureAdvice, ProcedureStepStatus, Question, Ruling, TrailEntry
from rongcuo_cli.model.safe_text import json_bytes

_ruling_json = Ruling.__pydantic_serializer__.to_json
# Fields holding shared objects (only objects of exactly these types are spliced: a
# subclass would be serialised by the field's type, not its own).
SHARED_FIELDS: dict[str, type[BaseModel]] = {
    "trail": TrailEntry, "questions": Question, "result_use": Guidance, "next_steps": Guidance,
    "procedure": ProcedureStepStatus, "measure": MeasureAdvice,
}


def _plan() -> tuple[tuple[set[str], tuple[tuple[str, bytes, type[BaseModel], bool], ...]], ...]:
    """The ruling's fields in order, as (a run of other fields, the shared fields after it)."""
    steps: list[tuple[set[str], list[tuple[str, bytes, type[BaseModel], bool]]]] = [(set(), [])]
    for name, field in Ruling.model_fields.items():
        kind = SHARED_FIELDS.get(name)
        if kind is None:
            if steps[-1][1]:
                steps.append((set(), []))
            steps[-1][0].add(name)
        else:
            is_list = typing.get_origin(field.annotation) is list
            steps[-1][1].append((name, f',"{name}":'.encode(), kind, is_list))
    return tuple((run, tuple(shared)) for run, shared in steps)


_PLAN = _plan()
# Numbered objects a worker keeps (and the parent mirrors) before starting over:
# a batch has a few hundred distinct ones in practice; this bounds a pathological one.
FRAGMENT_LIMIT = 4096
# Objects remembered by identity (each held, so its id is not reused).
ENTRY_LIMIT = 8192

# A record's program: literal bytes, one object's number, or the numbers of a list's objects (joined with commas).
Piece = Union[bytes, int, tuple[int, ...]]


class _NotShared(Exception):
    """An object of another type than its field's: the ruling is serialised whole."""


@dataclass(frozen=True)
class Spliced:
    """A record as a program of literal bytes and numbered shared objects."""

    program: tuple[Piece, ...]

    def join(self, table: list[bytes]) -> bytes:
        out = []
        for piece in self.program:
            if type(piece) is bytes:
                out.append(piece)
            elif type(piece) is int:
                out.append(table[piece])
            else:
                out.append(b",".join([table[i] for i in piece]))  # type: ignore[union-attr]
        return b"".join(out)


class Fragments:
    """The numbered shared objects of one process (a worker, or one in-process batch)."""

    def __init__(self) -> None:
        self.table: list[bytes] = []
        self._by_bytes: dict[bytes, int] = {}
        self._by_object: dict[int, tuple[BaseModel, int]] = {}
        self._sent = 0

    def number(self, shared: BaseModel, kind: type[BaseModel]) -> int:
        known = self._by_object.get(id(shared))
        if known is not None and known[0] is shared:
            return known[1]
        if type(shared) is not kind:
            raise _NotShared
        data = json_bytes(kind.__pydantic_serializer__.to_json(shared))
        number = self._by_bytes.get(data)
        if number is None:  # a new object with known content (an engine cache was cleared) keeps its number
            number = self._by_bytes[data] = len(self.table)
            self.table.append(data)
        if len(self._by_object) >= ENTRY_LIMIT:
            self._by_object.clear()
        self._by_object[id(shared)] = (shared, number)
        return number

    def spliced(self, ruling: Ruling) -> Spliced:
        """The ruling's record as a program (its shared objects numbered here)."""
        try:
            return Spliced(tuple(self._program(ruling)))
        except _NotShared:
            return Spliced((json_bytes(_ruling_json(ruling)),))

    def _program(self, ruling: Ruling) -> list[Piece]:
        values = ruling.__dict__
        program: list[Piece] = []
        literal = b"{"
        for run, shared in _PLAN:
            if run:
                inner = json_bytes(_ruling_json(ruling, include=run))[1:-1]
                literal += inner if literal == b"{" else b"," + inner
            for name, key, kind, is_list in shared:
                value = values[name]
                key = key if literal != b"{" else key[1:]
                if value is None:
                    literal += key + b"null"
                elif is_list:
                    numbers = tuple([self.number(item, kind) for item in value])
                    program.append(literal + key + b"[")
                    program.append(numbers)
                    literal = b"]"
                else:
                    program.append(literal + key)
                    program.append(self.number(value, kind))
                    literal = b""
        program.append(literal + b"}")
        return program

    def record(self, ruling: Ruling) -> bytes:
        """The ruling's record, whole."""
        return self.spliced(ruling).join(self.table)

    def start_chunk(self) -> None:
        """Between chunks: start over when the table is full (the parent is told by ``take_new``)."""
        if len(self.table) > FRAGMENT_LIMIT:
            self.table.clear()
            self._by_bytes.clear()
            self._by_object.clear()
            self._sent = 0

    def take_new(self) -> tuple[int, list[bytes]]:
        """(the number of the first, the objects numbered since the last call): what the parent lacks."""
        first, self._sent = self._sent, len(self.table)
        return first, self.table[first:]


class FragmentTable:
    """The parent's copy of one worker's numbered objects."""

    def __init__(self) -> None:
        self.table: list[bytes] = []

    def update(self, first: int, new: list[bytes]) -> None:
        del self.table[first:]  # first == 0 after the worker started over
        self.table.extend(new)

    def join(self, parts: Any) -> bytes:
        return parts.join(self.table) if isinstance(parts, Spliced) else parts


_default = Fragments()


def ruling_record(ruling: Ruling) -> bytes:
    """The batch record of one ruling (one line of JSONL, without the newline)."""
    _default.start_chunk()
    return _default.record(ruling)
