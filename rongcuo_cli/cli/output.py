"""Writing results: JSON text that is the same for the same input, written atomically."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..diagnostics import Diagnostic, UserError


def to_json(model: BaseModel | list[BaseModel]) -> str:
    """Deterministic JSON: field order from the model, no timestamps, UTF-8 text."""
    if isinstance(model, list):
        data: Any = [m.model_dump(mode="json") for m in model]
    else:
        data = model.model_dump(mode="json")
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def write_atomic(path: Path, text: str) -> None:
    """Write to a temporary file beside ``path`` and rename: never a half-written file."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def write_output(path: Path, text: str) -> None:
    """``write_atomic`` for a user-named file: an unwritable path is a user error, not a crash."""
    try:
        write_atomic(path, text)
    except OSError as exc:
        raise UserError([Diagnostic(file=str(path), code="write", message=f"无法写入输出文件：{exc.strerror}", hint="检查目录是否存在、是否有写权限")]) from None
