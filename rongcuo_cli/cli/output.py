"""Writing results: JSON text that is the same for the same input, written atomically."""

from __future__ import annotations

import itertools
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from rongcuo_cli.model.safe_text import escape, json_document

if TYPE_CHECKING:  # the loader and the models are imported by the commands that use them, not at start-up
    from pydantic import BaseModel

    from rongcuo_cli.load.ruleset_loader import CompiledRuleset
    from rongcuo_cli.model.diagnostics import UserError


def to_json(model: BaseModel | list[BaseModel]) -> str:
    """Deterministic JSON: field order from the model, no timestamps, UTF-8 text, control characters escaped."""
    if isinstance(model, list):
        data: Any = [_plain(m) for m in model]
    else:
        data = _plain(model)
    return json_document(data)


def _plain(model: BaseModel) -> Any:
    # A ruling has its own, faster dump (the same data as ``model_dump(mode="json")``, a test holds it to that).
    as_dict = getattr(model, "as_dict", None)
    return as_dict() if as_dict is not None else model.model_dump(mode="json")


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write to a temporary file beside ``path`` and rename: never a half-written file."""
    from rongcuo_cli.load.atomic import atomic_file

    with atomic_file(path) as handle:
        handle.write(text.encode("utf-8") if isinstance(text, str) else text)


def write_failed(path: Path, exc: OSError) -> UserError:
    """The user error for an output file that cannot be written."""
    from rongcuo_cli.model.diagnostics import Diagnostic, OutputError, os_reason

    return OutputError([Diagnostic(file=str(path), code="write", message=f"无法写入输出文件：{os_reason(exc)}", hint="检查目录是否存在、是否有写权限")])


def write_output(path: Path, text: str | bytes) -> None:
    """``write_atomic`` for a user-named file: an unwritable path is a user error, not a crash."""
    try:
        write_atomic(path, text)
    except OSError as exc:
        raise write_failed(path, exc) from None


def refuse_overwriting_inputs(output: Path | None, cases: Iterable[Path | str], others: Iterable[str] = (), option: str = "--output") -> None:
    """An output that is a file read (a case, the ruleset, its chain, the vocabulary) would replace it: a usage error.

    Compared by device and inode, so a link, a hard link or another spelling of
    the same file is caught too; an output that does not exist yet cannot be one.
    """
    if output is None:
        return
    from rongcuo_cli.model.diagnostics import Diagnostic, UsageError

    try:
        target = os.stat(output)
    except OSError:
        return
    # A generator, not a list: a batch's inputs are tens of thousands of paths (memory flat in N).
    for path, what in itertools.chain(((c, "输入的案件文件") for c in cases), ((o, "读入的规则集或词表文件") for o in others)):
        try:
            found = os.stat(path)
        except OSError:
            continue
        if (found.st_dev, found.st_ino) == (target.st_dev, target.st_ino):
            message = f"输出文件就是{what} {escape(str(path))}，写入会覆盖它"
            raise UsageError([Diagnostic(file=str(output), code="output-is-input", message=message, hint=f"用 {option} 指定另一个文件")])


def files_read(ruleset: CompiledRuleset | None = None) -> list[str]:
    """Every file besides the cases that a command reads: the ruleset's chain and versions, the vocabulary and ladders."""
    from rongcuo_cli.load.ladders import LADDERS_FILE
    from rongcuo_cli.load.resources import rulesets_dir
    from rongcuo_cli.engine.versions import all_versions
    from rongcuo_cli.load.vocabulary import VOCABULARY_FILE

    found = [str(rulesets_dir() / VOCABULARY_FILE), str(rulesets_dir() / LADDERS_FILE)]
    if ruleset is not None:
        found += [path for version in all_versions(ruleset) for path in version.paths]
    return found
