"""Writing results: JSON text that is the same for the same input, written atomically."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

import os
from typing import Iterable

from ..atomic import atomic_file
from ..diagnostics import Diagnostic, OutputError, UsageError, UserError
from ..safe_text import json_text


def to_json(model: BaseModel | list[BaseModel]) -> str:
    """Deterministic JSON: field order from the model, no timestamps, UTF-8 text, control characters escaped."""
    if isinstance(model, list):
        data: Any = [m.model_dump(mode="json") for m in model]
    else:
        data = model.model_dump(mode="json")
    return json_text(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"


def write_atomic(path: Path, text: str) -> None:
    """Write to a temporary file beside ``path`` and rename: never a half-written file."""
    with atomic_file(path) as handle:
        handle.write(text.encode("utf-8"))


def write_failed(path: Path, exc: OSError) -> UserError:
    """The user error for an output file that cannot be written."""
    return OutputError([Diagnostic(file=str(path), code="write", message=f"无法写入输出文件：{exc.strerror}", hint="检查目录是否存在、是否有写权限")])


def write_output(path: Path, text: str) -> None:
    """``write_atomic`` for a user-named file: an unwritable path is a user error, not a crash."""
    try:
        write_atomic(path, text)
    except OSError as exc:
        raise write_failed(path, exc) from None


def refuse_overwriting_inputs(output: Path | None, inputs: Iterable[Path | str]) -> None:
    """An output path that is one of the input case files would replace a case with its ruling."""
    if output is None or not Path(output).exists():
        return
    target = os.path.realpath(output)
    for path in inputs:
        if os.path.realpath(path) == target:
            raise UsageError([Diagnostic(file=str(output), code="output-is-input", message="输出文件就是输入的案件文件，写入会覆盖案件", hint="用 --output 指定另一个文件")])
