"""What the batch parent keeps per input file, kept small so that memory stays flat in the number of files.

Why: a year of cases is tens of thousands of files, and the parent holds
their list (for order and error messages) and which file first used each
case_id. As Python objects that is about 220 bytes a file, and forked workers
inherit the list; stored here it is about 30 bytes for a path and 12 for a
case_id.
"""

from __future__ import annotations

import os
from array import array
from typing import Callable, Iterable, Iterator, Optional, Sequence, overload


class PathList(Sequence[str]):
    """Paths in a fixed order: folders stored once, names in one byte buffer (``os.fsencode``, so any name round-trips)."""

    def __init__(self, paths: Iterable[str]):
        folders: dict[str, int] = {}
        names = bytearray()
        ends = array("Q")
        where = array("I")
        for path in paths:
            cut = path.rfind(os.sep) + 1  # path == folder + name, exactly
            where.append(folders.setdefault(path[:cut], len(folders)))
            names += os.fsencode(path[cut:])
            ends.append(len(names))
        self._folders = list(folders)
        self._names = bytes(names)
        self._ends = ends
        self._where = where

    def __len__(self) -> int:
        return len(self._ends)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self._ends):
            raise IndexError("path index out of range")
        start = self._ends[index - 1] if index else 0
        return self._folders[self._where[index]] + os.fsdecode(self._names[start:self._ends[index]])

    def __iter__(self) -> Iterator[str]:
        return (self[i] for i in range(len(self)))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (PathList, list, tuple)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    def __repr__(self) -> str:
        return f"PathList({list(self)!r})"


class FirstUse:
    """Which input first used each case_id: an open-addressing table of 64-bit hashes and file indexes.

    A hash match is confirmed by reading the earlier file's case_id again
    (``case_id_of``): rare (real duplicates, or a collision, after which the
    search goes on), so no id is ever kept as text.
    """

    def __init__(self, files: Sequence[str], case_id_of: Callable[[str], Optional[str]], hash_of: Callable[[str], int] = hash):
        self.files = files
        self.case_id_of = case_id_of
        self.hash_of = hash_of
        size = 16
        while size < 2 * len(files):  # at most half full: probes stay short
            size *= 2
        self._mask = size - 1
        self._hashes = array("q", bytes(8 * size))
        self._firsts = array("I", bytes(4 * size))  # file index + 1; 0 is an empty slot

    def first(self, index: int, case_id: Optional[str]) -> Optional[int]:
        """The index of an earlier file with this case_id, if any; else this file is recorded as its first use."""
        if case_id is None:
            return None
        code = self.hash_of(case_id)
        slot = code & self._mask
        while True:
            holder = self._firsts[slot]
            if holder == 0:
                self._hashes[slot] = code
                self._firsts[slot] = index + 1
                return None
            if self._hashes[slot] == code and holder - 1 != index and self.case_id_of(self.files[holder - 1]) == case_id:
                return holder - 1
            slot = (slot + 1) & self._mask
