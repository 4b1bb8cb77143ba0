"""``rongcuo schema``: JSON Schema for editors that validate and complete YAML files."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from rongcuo_cli.cli.guard import guarded
from rongcuo_cli.cli.output import files_read, refuse_overwriting_inputs, write_output

# The keys of ``schema.SCHEMAS``, written out so that start-up does not build every model
# (tests/test_schema.py checks they agree).
SCHEMA_KINDS = ("case", "ruleset", "test", "ruling")
SchemaKind = Enum("SchemaKind", {name: name for name in SCHEMA_KINDS}, type=str)  # type: ignore[misc]


def schema(
    kind: SchemaKind = typer.Argument(..., help="case=案件文件，ruleset=规则集，test=规则集测试文件，ruling=认定结果 JSON", show_default=False, metavar="类型"),  # type: ignore[valid-type]
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="文件", help="写入文件（原子写入），而不是打印"),
) -> None:
    def run() -> None:
        from rongcuo_cli.authoring.schema import schema_text
        from rongcuo_cli.load.vocabulary import load_vocabulary
        from rongcuo_cli.cli.console import make_console

        text = schema_text(kind.value, load_vocabulary())
        if output is None:
            typer.echo(text, nl=False)
            return
        refuse_overwriting_inputs(output, [], files_read())
        write_output(output, text)
        make_console(stderr=True).print(f"已写入 {output}", markup=False)

    guarded(run)
