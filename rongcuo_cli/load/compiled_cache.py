"""Loaded rulesets, the vocabulary and the ladders, kept between runs in the user's cache folder.

Why: a single ``rongcuo assess`` spent most of its own time reading, validating
and checking the ruleset and the vocabulary, which change far less often than
the cases. What is kept is the validated data (Pydantic objects, no compiled
conditions: closures cannot be stored, and compiling them again is cheap).

Where: ``$XDG_CACHE_HOME/rongcuo`` (``~/.cache/rongcuo`` when unset); setting
``RONGCUO_NO_CACHE=1`` turns the cache off. One file per entry, named by a
digest of what was loaded (a shipped id or a file's path, the working folder)
and of the program reading it (rongcuo's version and the size and time of
every module under ``model/`` and ``load/``, Python's and Pydantic's versions).

Never a wrong answer: an entry lists every file its object was built from (a
ruleset, each file it extends, the vocabulary, the ladders) with the SHA-256 of
the bytes read; a lookup reads those files again and uses the entry only if
every digest matches, and only after the digest of the stored object matches
too (it covers the file list as well). Never a crash: a missing, truncated, corrupt, foreign (another user's, or
writable by others) or unreadable entry, or an unwritable folder, is a miss,
and the object is built as if there were no cache. Entries are written to a
temporary file and renamed, so a reader never sees half of one. Objects are
stored with pickle, and read back by an unpickler that only builds rongcuo's
own model classes, dates and plain containers.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

MAGIC = b"rongcuo-cache\n"
# Raise when the stored layout changes in a way the program fingerprint would not show.
FORMAT = 1
DISABLE_VARIABLE = "RONGCUO_NO_CACHE"
# The header (file list) is small; anything bigger is not an entry of ours.
MAX_HEADER = 64 * 1024
SUFFIX = ".rcache"
_DIGEST = hashlib.sha256


@dataclass(frozen=True)
class Hit:
    """A verified entry: the stored object, and the bytes of each file it was built from, as read now."""

    value: Any
    files: Mapping[str, bytes]


def enabled() -> bool:
    return os.environ.get(DISABLE_VARIABLE, "") in ("", "0")


def folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME", "")
    # The XDG rule: a relative value is to be ignored.
    root = Path(base) if base and os.path.isabs(base) else Path.home() / ".cache"
    return root / "rongcuo"


def digest(data: bytes) -> str:
    return _DIGEST(data).hexdigest()


def lookup(identity: Iterable[str]) -> Hit | None:
    """The entry for ``identity`` if every file it lists still has the same bytes; else None."""
    if not enabled():
        return None
    try:
        return _read(_entry_path(identity))
    except Exception:  # whatever is wrong with an entry, it is only a miss
        return None


def store(identity: Iterable[str], value: Any, files: Mapping[str, str]) -> None:
    """Keep ``value``, built from ``files`` (absolute path → digest of the bytes it was built from)."""
    if not enabled():
        return
    try:
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        header = "\n".join(f"{file_digest} {path}" for path, file_digest in files.items()).encode("utf-8")
        path = _entry_path(identity)
        _write_atomic(path, b"".join([
            MAGIC, b"%d\n" % len(header), header, b"\n", digest(header + b"\n" + payload).encode("ascii"), b"\n", payload,
        ]))
        _prune(path)
    except Exception:  # an unwritable folder, a full disk, an object that cannot be stored: no cache this time
        return


def _entry_path(identity: Iterable[str]) -> Path:
    # Named by what was loaded, then by the program: an entry replaced by another
    # version of the program is found by its first half and removed (``_prune``).
    what = digest("\0".join([str(FORMAT), *identity]).encode("utf-8"))[:32]
    return folder() / f"{what}-{digest(_program().encode('utf-8'))[:16]}{SUFFIX}"


def _prune(path: Path) -> None:
    """Entries for the same thing written by other versions of the program are of no more use."""
    what = path.name.split("-")[0]
    for stale in path.parent.glob(f"{what}-*{SUFFIX}"):
        if stale != path:
            try:
                stale.unlink()
            except OSError:
                pass


_PROGRAM: list[str] = []


def _program() -> str:
    """What the stored objects depend on besides the files: the code that built them, and its interpreter."""
    if not _PROGRAM:
        import pydantic.version

        from rongcuo_cli import __version__

        here = Path(__file__).resolve().parent
        parts = [__version__, sys.version, pydantic.version.VERSION, str(here)]
        for room in (here, here.parent / "model"):
            for entry in sorted(os.scandir(room), key=lambda e: e.name):
                if entry.name.endswith(".py"):
                    info = entry.stat()
                    parts.append(f"{entry.name}:{info.st_size}:{info.st_mtime_ns}")
        _PROGRAM.append("\0".join(parts))
    return _PROGRAM[0]


def _read(path: Path) -> Hit | None:
    with open(path, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not _trusted(info):
            return None
        data = handle.read()
    if not data.startswith(MAGIC):
        return None
    stream = io.BytesIO(data)
    stream.seek(len(MAGIC))
    size = int(stream.readline())
    if not 0 <= size <= MAX_HEADER:
        return None
    header = stream.read(size).decode("utf-8")
    if stream.read(1) != b"\n":
        return None
    expected = stream.readline().strip().decode("ascii")
    payload = stream.read()
    if digest(header.encode("utf-8") + b"\n" + payload) != expected:
        return None
    files: dict[str, bytes] = {}
    for line in header.split("\n") if header else []:
        file_digest, _, file = line.partition(" ")
        with open(file, "rb") as source:
            raw = source.read()
        if digest(raw) != file_digest:
            return None
        files[file] = raw
    return Hit(value=_Unpickler(io.BytesIO(payload)).load(), files=files)


def _trusted(info: os.stat_result) -> bool:
    """An entry another user could have written is not read (where the system has owners at all)."""
    if not hasattr(os, "getuid"):
        return True
    return info.st_uid == os.getuid() and not info.st_mode & 0o022


def _write_atomic(path: Path, data: bytes) -> None:
    import tempfile

    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


# What an entry may build: rongcuo's own data classes, dates, and nothing that runs code.
_ALLOWED_MODULES = ("rongcuo_cli.model.", "rongcuo_cli.load.")
_ALLOWED_GLOBALS = frozenset({("datetime", "date"), ("builtins", "set"), ("builtins", "frozenset")})


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _ALLOWED_GLOBALS or (module.startswith(_ALLOWED_MODULES) and not name.startswith("_")):
            found = super().find_class(module, name)
            if isinstance(found, type):
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not stored in the cache")
