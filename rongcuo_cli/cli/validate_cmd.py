"""``rongcuo validate``: check case and ruleset files without assessing them.

For editors and pre-commit hooks: every problem of every file is printed as
``file:line:col: ...`` on stdout, then one summary line; the exit code is 0 only
when every file is valid (1 when some file has problems, 2 for an unknown
ruleset id, a path that does not exist, or no paths at all).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer

from rongcuo_cli.cli.exit_codes import ExitCode
from rongcuo_cli.cli.guard import guarded

if TYPE_CHECKING:  # the models are imported when the command runs: `rongcuo --help` loads no Pydantic
    from rongcuo_cli.cli.validate_report import FileReport, ValidationReport
    from rongcuo_cli.model.diagnostics import Diagnostic



def validate(
    paths: Optional[list[Path]] = typer.Argument(None, metavar="路径", help="案件文件或目录（目录中递归查找 .yaml/.yml，跳过以 . 或 _ 开头的）", show_default=False),
    rulesets: Optional[list[str]] = typer.Option(None, "--ruleset", "-r", metavar="规则集", help="也检查这个规则集（编号或文件路径）；可重复"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出检查结果（同 --format json）"),
    fmt: str = typer.Option("text", "--format", metavar="格式", help="text（默认，文件:行:列: 说明）、json，或 github（GitHub Actions 注释 ::error file=…,line=…,col=…::说明）"),
    no_color: bool = typer.Option(False, "--no-color", help="不使用颜色"),
) -> None:
    def run() -> ExitCode:
        from rongcuo_cli.cli.console import make_console, print_diagnostics
        from rongcuo_cli.cli.output import to_json
        from rongcuo_cli.cli.validate_report import ValidationReport
        from rongcuo_cli.model.diagnostics import Diagnostic

        if not paths and not rulesets:
            nothing = Diagnostic(file="validate", code="usage", message="没有给出要检查的文件", hint="例如：rongcuo validate cases/ --ruleset jiaozuo")
            print_diagnostics([nothing], make_console(no_color=no_color, stderr=True))
            return ExitCode.USAGE
        reports = [_check_ruleset(name) for name in rulesets or []]
        # A path that does not exist is reported with the other files, and is a usage error (exit 2) as everywhere.
        usage = any(_is_unknown_ruleset(r) for r in reports) or any(not (p.is_dir() or p.is_file()) for p in paths or [])
        reports += _check_cases(case_files(paths or []))
        report = ValidationReport(
            checked=len(reports),
            invalid=sum(not r.valid for r in reports),
            problems=sum(len(r.problems) for r in reports),
            files=reports,
        )
        if fmt not in FORMATS:
            bad = Diagnostic(file="--format", code="usage", message=f"未知的格式 `{fmt}`", hint="可选：" + "、".join(FORMATS))
            print_diagnostics([bad], make_console(no_color=no_color, stderr=True))
            return ExitCode.USAGE
        if as_json or fmt == "json":
            typer.echo(to_json(report), nl=False)
        elif fmt == "github":
            for entry in reports:
                for problem in entry.problems:
                    typer.echo(github_annotation(problem))
        else:
            console = make_console(no_color=no_color)
            for entry in reports:
                print_diagnostics(entry.problems, console)
            console.print(_summary(report), markup=False, soft_wrap=True)
        if usage:
            return ExitCode.USAGE
        return ExitCode.INVALID_INPUT if report.invalid else ExitCode.OK

    code = guarded(run)
    raise typer.Exit(code)


FORMATS = ("text", "json", "github")


def github_annotation(problem: Diagnostic) -> str:
    """One GitHub Actions workflow command, so a CI run marks the line in the pull request."""
    from rongcuo_cli.model.safe_text import escape

    where = [f"file={_github_property(problem.file)}"]
    if problem.line is not None:
        where.append(f"line={problem.line}")
        if problem.column is not None:
            where.append(f"col={problem.column}")
    where.append(f"title={_github_property(problem.code)}")
    text = problem.message + (f"（提示：{problem.hint}）" if problem.hint else "")
    return f"::error {','.join(where)}::{_github_data(escape(text))}"


def _github_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    from rongcuo_cli.model.safe_text import escape

    return _github_data(escape(text, one_line=True)).replace(":", "%3A").replace(",", "%2C")


def case_files(paths: list[Path]) -> list[Path]:
    """The files named, and the YAML files under each folder named (sorted, hidden and `_` files skipped)."""
    from rongcuo_cli.load.yaml_source import YAML_SUFFIXES  # here: --help must not load the YAML parser

    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(p for p in path.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file() and not _skipped(p.relative_to(path)))
            )
        else:
            found.append(path)  # a missing file is reported by the loader, with the others
    return list(dict.fromkeys(found))


def _skipped(relative: Path) -> bool:
    return any(part.startswith((".", "_")) for part in relative.parts)


def _check_cases(files: list[Path]) -> list[FileReport]:
    from rongcuo_cli.cli.validate_report import FileReport
    from rongcuo_cli.load.case_file import read_case
    from rongcuo_cli.model.diagnostics import UserError

    reports: list[FileReport] = []
    first_seen: dict[str, str] = {}
    for path in files:
        try:
            case, doc = read_case(path)
        except UserError as exc:
            reports.append(FileReport(file=str(path), kind="case", valid=False, problems=exc.diagnostics))
            continue
        problems: list[Diagnostic] = []
        if case.case_id in first_seen:
            problems.append(doc.diagnostic(("case_id",), "duplicate-case-id", f"案件编号 `{case.case_id}` 与 {first_seen[case.case_id]} 重复", "批量处理时案件编号须唯一"))
        first_seen.setdefault(case.case_id, str(path))
        reports.append(FileReport(file=str(path), kind="case", valid=not problems, problems=problems))
    return reports


def _check_ruleset(name: str) -> FileReport:
    from rongcuo_cli.cli.validate_report import FileReport
    from rongcuo_cli.load.ruleset_loader import load_ruleset
    from rongcuo_cli.model.diagnostics import UserError

    try:
        load_ruleset(name)
    except UserError as exc:
        return FileReport(file=name, kind="ruleset", valid=False, problems=exc.diagnostics)
    return FileReport(file=name, kind="ruleset", valid=True, problems=[])


def _is_unknown_ruleset(report: FileReport) -> bool:
    return any(d.code == "unknown-ruleset" for d in report.problems)


def _summary(report: ValidationReport) -> str:
    if not report.invalid:
        return f"已检查 {report.checked} 个文件：全部有效"
    return f"已检查 {report.checked} 个文件：{report.invalid} 个有问题，共 {report.problems} 处错误"
