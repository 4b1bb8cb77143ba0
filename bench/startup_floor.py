"""The least a Typer and Pydantic command does: what `rongcuo assess --json` cannot start faster than.

`bench/batch.py` times it beside the import baseline: it parses the ten options
`rongcuo assess` takes (Typer converts each through a Pydantic TypeAdapter),
validates one small Pydantic model and prints it as JSON. No ruleset, YAML,
engine or analysis.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from pydantic import BaseModel


class Case(BaseModel):
    case_id: str
    title: str
    facts: dict[str, bool] = {}


app = typer.Typer()


@app.command()
def assess(
    case_file: Path = typer.Argument(...),
    ruleset: str = typer.Option(..., "--ruleset"),
    as_json: bool = typer.Option(False, "--json"),
    output: Optional[Path] = typer.Option(None, "--output"),
    no_color: bool = typer.Option(False, "--no-color"),
    overrides: list[str] = typer.Option([], "--set"),
    no_analysis: bool = typer.Option(False, "--no-analysis"),
    detail: bool = typer.Option(False, "--detail"),
    document: Optional[Path] = typer.Option(None, "--document"),
    template: Optional[Path] = typer.Option(None, "--template"),
) -> None:
    print(Case.model_validate({"case_id": case_file.stem, "title": ruleset, "facts": {"diligent": True}}).model_dump_json())


@app.command()
def rulesets() -> None:
    """A second command, so that Typer builds a group as rongcuo's does."""


if __name__ == "__main__":
    app()
