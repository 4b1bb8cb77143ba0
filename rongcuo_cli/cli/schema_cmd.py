"""``rongcuo schema``: JSON Schema for editors that validate and complete YAML files."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from ..diagnostics import Diagnostic, UserError
from ..schema import SCHEMAS, schema_text
from ..vocabulary import load_vocabulary
from .console import make_console
from .guard import guarded
from .output import write_atomic

SchemaKind = Enum("SchemaKind", {name: name for name in SCHEMAS}, type=str)  # type: ignore[misc]


def schema(
    kind: SchemaKind = typer.Argument(..., help="case=案件文件，ruleset=规则集，test=规则集测试文件", show_default=False, metavar="KIND"),  # type: ignore[valid-type]
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="写入文件（原子写入），而不是打印"),
) -> None:
    def run() -> None:
        text = schema_text(kind.value, load_vocabulary())
        if output is None:
            typer.echo(text, nl=False)
            return
        try:
            write_atomic(output, text)
        except OSError as exc:
            raise UserError([Diagnostic(file=str(output), code="write", message=f"无法写入输出文件：{exc.strerror}", hint="检查目录是否存在、是否有写权限")]) from None
        make_console(stderr=True).print(f"已写入 {output}", markup=False)

    guarded(run)
