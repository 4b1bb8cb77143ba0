"""``rongcuo assess``: one case, one ruleset, one ruling."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .guard import guarded


def assess(
    case_file: Path = typer.Argument(..., help="案件文件（YAML）", show_default=False),
    ruleset: str = typer.Option(..., "--ruleset", "-r", help="规则集编号（如 jiaozuo）或规则集文件路径"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出认定结果（契约二）"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="把 JSON 结果写入文件（原子写入）"),
    no_color: bool = typer.Option(False, "--no-color", help="不使用颜色（也可设置环境变量 NO_COLOR）"),
) -> None:
    def run() -> None:
        # Imported here, not at the top: `rongcuo --help` should not pay for the core.
        from ..case_file import load_case
        from ..engine import assess as assess_case
        from ..render import render_ruling
        from ..ruleset_loader import load_ruleset
        from ..vocabulary import load_vocabulary
        from .console import make_console
        from .output import to_json

        compiled = load_ruleset(ruleset)
        case = load_case(case_file)
        vocab = load_vocabulary()
        ruling = assess_case(case, compiled, vocab)
        if output is not None:
            _write(output, to_json(ruling))
        if as_json:
            typer.echo(to_json(ruling), nl=False)
        elif output is None:
            render_ruling(ruling, make_console(no_color=no_color), vocab)
        else:
            make_console(no_color=no_color, stderr=True).print(f"已写入 {output}：{ruling.outcome_label}（{ruling.outcome}）", markup=False)

    guarded(run)


def _write(path: Path, text: str) -> None:
    from .output import write_atomic, write_failed

    try:
        write_atomic(path, text)
    except OSError as exc:
        raise write_failed(path, exc) from None
