"""Files that appear complete or not at all.

Why: a reader (or a script) must never see a half-written result, also after
Ctrl-C; everything goes to a temporary file beside the target, renamed at the end.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import IO, Iterator


@contextlib.contextmanager
def atomic_file(path: Path) -> Iterator[IO[bytes]]:
    """A file that appears at ``path`` complete, or not at all (with the usual umask permissions).

    A device or pipe (``/dev/stdout``, ``/dev/null``) is written in place: renaming
    over it would replace the device with a file. A link is written through to
    its target, which keeps the link.
    """
    path = Path(path)
    if path.exists() and not path.is_file():
        with open(path, "wb") as handle:
            yield handle
        return
    path = Path(os.path.realpath(path))
    folder = path.parent if str(path.parent) else Path(".")
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)  # mkstemp makes 0600; an output file is an ordinary file
        with os.fdopen(fd, "wb", buffering=1 << 20) as handle:  # large records: few, big writes
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
