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
is serialised in one piece and cut before the key that follows each shared
field. A key cannot stand inside a string (its quotes would be escaped), only
in a nested object: after fields of text and lists of text the first
occurrence is the cut; after others it must occur once from there on (a
source named ``notice``, say, makes the runs serialised one by one).
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from enum import Enum
from typing import Any, Union

from pydantic import BaseModel

from rongcuo_cli.model.identity_cache import remember
from rongcuo_cli.model.ruling import SHARED_FIELDS, Ruling
from rongcuo_cli.model.safe_text import json_bytes

_ruling_json = Ruling.__pydantic_serializer__.to_json
# Only objects of exactly the types in ``SHARED_FIELDS`` are spliced: a subclass would
# be serialised by the field's type, not its own.


Shared = tuple[tuple[str, bytes, type[BaseModel], bool], ...]


def _flat(annotation: Any) -> bool:
    """Whether a field's JSON can hold no object (so no key): text, flags, enums, lists of them."""
    if annotation in (str, bool) or (isinstance(annotation, type) and issubclass(annotation, Enum)):
        return True
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Literal:
        return True
    if origin is list or origin is Union:
        return all(arg is type(None) or _flat(arg) for arg in args)
    return False


def _plan() -> tuple[tuple[set[str], bytes, bool, Shared], ...]:
    """The ruling's fields in order: (a run of other fields, its first key as a cut mark, whether the run before it
    is flat, the shared fields after it)."""
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
    fields = Ruling.model_fields
    first_keys = [next(name for name in fields if name in run) if run else "" for run, _ in steps]
    flat_before = [True] + [all(_flat(fields[name].annotation) for name in run) for run, _ in steps[:-1]]
    return tuple((run, f',"{key}":'.encode(), flat, tuple(shared)) for (run, shared), key, flat in zip(steps, first_keys, flat_before))


_PLAN = _plan()
_WITHOUT_SHARED = set(SHARED_FIELDS)
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
        remember(self._by_object, id(shared), (shared, number), ENTRY_LIMIT)
        return number

    def spliced(self, ruling: Ruling) -> Spliced:
        """The ruling's record as a program (its shared objects numbered here)."""
        try:
            return Spliced(tuple(self._program(ruling)))
        except _NotShared:
            return Spliced((json_bytes(_ruling_json(ruling)),))

    def _program(self, ruling: Ruling) -> list[Piece]:
        values = ruling.__dict__
        runs = _runs_of(ruling)
        get = self._by_object.get
        program: list[Piece] = []
        literal = b"{"
        for inner, (_, _, _, shared) in zip(runs, _PLAN):
            if inner:
                literal += inner if literal == b"{" else b"," + inner
            for name, key, kind, is_list in shared:
                value = values[name]
                key = key if literal != b"{" else key[1:]
                if value is None:
                    literal += key + b"null"
                elif is_list:
                    numbers = []
                    for item in value:  # the lookup of ``number`` inline: a record has about 40 shared objects
                        known = get(id(item))
                        numbers.append(known[1] if known is not None and known[0] is item else self.number(item, kind))
                    program.append(literal + key + b"[")
                    program.append(tuple(numbers))
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


def _runs_of(ruling: Ruling, *, one_by_one: bool = False) -> list[bytes]:
    """Each run of the ruling's other fields serialised and escaped, without braces."""
    if not one_by_one:
        body = json_bytes(_ruling_json(ruling, exclude=_WITHOUT_SHARED))
        cuts = [0]
        for run, mark, flat_before, _ in _PLAN[1:]:
            at = body.find(mark, cuts[-1]) if run else -1
            if at < 0 or not (flat_before or body.count(mark, cuts[-1]) == 1):
                break
            cuts.append(at)
        else:
            cuts.append(len(body) - 1)
            return [body[start + 1:end] for start, end in zip(cuts, cuts[1:])]
    return [json_bytes(_ruling_json(ruling, include=run))[1:-1] if run else b"" for run, _, _, _ in _PLAN]


_default = Fragments()


def ruling_record(ruling: Ruling) -> bytes:
    """The batch record of one ruling (one line of JSONL, without the newline)."""
    _default.start_chunk()
    return _default.record(ruling)
