"""A ruling's batch record: compact UTF-8 JSON, unsafe characters escaped, spliced from cached trail parts.

Why: about 85% of a 30 KB record is its trail, and trail entries repeat across
a batch (the engine shares one ``TrailEntry`` per rule, result and facts read).
Each distinct entry is serialised and escaped once and given a number; a
record is the rest of the ruling (about 5 KB, serialised per case) with the
entries' bytes put in at the ``trail`` key. Worker processes send the parent
only that rest and the numbers, plus each entry's bytes the first time they
use it (``Fragments.take_new`` / ``FragmentTable``): a sixth of the bytes
through the pipe.

The bytes are exactly ``json_bytes(json.dumps(ruling.as_dict(),
ensure_ascii=False, separators=(",", ":")).encode())``: escaping is a
substitution of whole UTF-8 sequences inside strings, and the parts are cut
between JSON tokens, so escaping them apart is escaping the whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rongcuo_cli.model.ruling import Ruling, TrailEntry
from rongcuo_cli.model.safe_text import json_bytes

_ruling_json = Ruling.__pydantic_serializer__.to_json
_entry_json = TrailEntry.__pydantic_serializer__.to_json
_WITHOUT_TRAIL = {"trail"}
_FIELDS = list(Ruling.model_fields)
# Where the trail goes back in: before the key of the field that follows it (fields keep model order).
_NEXT = _FIELDS[_FIELDS.index("trail") + 1] if _FIELDS[-1] != "trail" else None
_MARK = f',"{_NEXT}":'.encode() if _NEXT else b"}"
_OPEN, _CLOSE, _COMMA = b',"trail":[', b"]", b","
# Numbered entries a worker keeps (and the parent mirrors) before starting over:
# a ruleset has a few hundred distinct entries in practice; this bounds a pathological one.
FRAGMENT_LIMIT = 4096
# Entry objects remembered by identity (each held, so its id is not reused).
ENTRY_LIMIT = 8192


@dataclass(frozen=True)
class Spliced:
    """A record as parts: ``head + b",".join(entries numbered ids) + tail``."""

    head: bytes
    ids: tuple[int, ...]
    tail: bytes

    def join(self, table: list[bytes]) -> bytes:
        return b"".join((self.head, _COMMA.join([table[i] for i in self.ids]), self.tail))


class Fragments:
    """The numbered trail entries of one process (a worker, or one in-process batch)."""

    def __init__(self) -> None:
        self.table: list[bytes] = []
        self._by_bytes: dict[bytes, int] = {}
        self._by_entry: dict[int, tuple[TrailEntry, int]] = {}
        self._sent = 0

    def number(self, entry: TrailEntry) -> int:
        known = self._by_entry.get(id(entry))
        if known is not None and known[0] is entry:
            return known[1]
        data = json_bytes(_entry_json(entry))
        number = self._by_bytes.get(data)
        if number is None:  # a new entry object with known content (the engine's cache was cleared) keeps its number
            number = self._by_bytes[data] = len(self.table)
            self.table.append(data)
        if len(self._by_entry) >= ENTRY_LIMIT:
            self._by_entry.clear()
        self._by_entry[id(entry)] = (entry, number)
        return number

    def spliced(self, ruling: Ruling) -> Spliced:
        """The ruling's record as parts (its trail entries numbered here)."""
        body = json_bytes(_ruling_json(ruling, exclude=_WITHOUT_TRAIL))
        if _NEXT is None:
            cut = len(body) - 1
        else:
            cut = body.find(_MARK)
            # The key can only be structural (quotes inside strings are escaped); a nested object
            # using it before the top-level one would make the first hit ambiguous.
            if cut < 0 or body.count(_MARK) != 1:
                return Spliced(json_bytes(_ruling_json(ruling)), (), b"")
        ids = tuple([self.number(entry) for entry in ruling.trail])
        return Spliced(body[:cut] + _OPEN, ids, _CLOSE + body[cut:])

    def record(self, ruling: Ruling) -> bytes:
        """The ruling's record, whole."""
        return self.spliced(ruling).join(self.table)

    def start_chunk(self) -> None:
        """Between chunks: start over when the table is full (the parent is told by ``take_new``)."""
        if len(self.table) > FRAGMENT_LIMIT:
            self.table.clear()
            self._by_bytes.clear()
            self._by_entry.clear()
            self._sent = 0

    def take_new(self) -> tuple[int, list[bytes]]:
        """(the number of the first, the entries numbered since the last call): what the parent lacks."""
        first, self._sent = self._sent, len(self.table)
        return first, self.table[first:]


class FragmentTable:
    """The parent's copy of one worker's numbered entries."""

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
