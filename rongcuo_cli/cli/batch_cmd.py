"""``rongcuo batch``: many case files, one ruleset, one record per file, a summary.

The core is imported inside the command so that ``rongcuo --help`` stays quick.
"""

from __future__ import annotations

import signal
import sys
import time
from pathlib import Path
from typing import IO, Callable, Optional

import typer

from rongcuo_cli.cli.exit_codes import SIGNAL_BASE, ExitCode
from rongcuo_cli.cli.documents import DOCUMENT_FORMAT_HELP, DOCUMENTS_HELP, TEMPLATE_HELP
from rongcuo_cli.cli.guard import guarded

FORMAT_HELP = "输出格式：jsonl（每行一条）、json（一个数组）、csv（每个案件一行）；默认按 --output 的扩展名，否则 jsonl"


def batch(
    paths: list[Path] = typer.Argument(..., help="案件文件或目录（目录递归查找 *.yaml、*.yml）", show_default=False, metavar="路径..."),
    ruleset: str = typer.Option(..., "--ruleset", "-r", metavar="规则集", help="规则集编号（如 jiaozuo）或规则集文件路径"),
    glob: Optional[str] = typer.Option(None, "--glob", "-g", metavar="模式", help="只处理目录中文件名（或相对路径）匹配该模式的文件，如 'JZ-2020-*'"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="文件", help="把结果写入该文件（原子写入）；不给则写到标准输出"),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", metavar="格式", help=FORMAT_HELP),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, metavar="进程数", help="并行的工作进程数（默认：CPU 核数）"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="不显示进度条和汇总（供脚本使用）"),
    consistency: bool = typer.Option(False, "--consistency", help="核对同案不同判：事实相同而记录的实际认定（decision）不同的案件，并统计本工具与实际认定的一致率"),
    timeout: float = typer.Option(30.0, "--timeout", min=0.1, metavar="秒数", help="每个文件最多处理的秒数；超时的文件记为错误（timeout），其余照常"),
    no_color: bool = typer.Option(False, "--no-color", help="不使用颜色"),
    no_bom: bool = typer.Option(False, "--no-bom", help="CSV 不写 UTF-8 BOM（默认写，Excel、WPS 才能正确显示中文）"),
    documents: Optional[Path] = typer.Option(None, "--documents", metavar="目录", help=DOCUMENTS_HELP),
    document_format: str = typer.Option("docx", "--document-format", metavar="格式", help=DOCUMENT_FORMAT_HELP),
    template: Optional[Path] = typer.Option(None, "--template", metavar="模板文件", help=TEMPLATE_HELP, exists=True, dir_okay=False),
) -> None:
    from rongcuo_cli.batch.output import format_for
    from rongcuo_cli.model.safe_text import escape

    chosen = format_for(output, fmt)
    if chosen is None:
        wanted = fmt or (output.suffix if output else "")
        typer.echo(f"错误：无法确定输出格式 `{escape(wanted, one_line=True)}`；请用 --format jsonl|json|csv，或让 --output 以 .jsonl/.json/.csv 结尾", err=True)
        raise typer.Exit(ExitCode.USAGE)

    def run() -> int:
        from rongcuo_cli.cli.documents import named_format, template_needs

        template_needs(documents, template, "--documents")
        wanted = (documents, named_format(document_format, template), template) if documents is not None else None
        return _run(paths, ruleset, glob, output, chosen, jobs, quiet, consistency, no_color, timeout, wanted, bom=not no_bom)

    raise typer.Exit(guarded(run))


def _run(paths: list[Path], ruleset_name: str, glob: str | None, output: Path | None, fmt: str,
         jobs: int | None, quiet: bool, consistency: bool, no_color: bool, timeout: float,
         documents: tuple[Path, str, Path | None] | None = None, *, bom: bool = True) -> int:
    from rongcuo_cli.batch.run import BatchOptions, Interrupted, NoInput, Stopped, default_jobs, discover, run, stop_on_signals
    from rongcuo_cli.batch.output import make_sink
    from rongcuo_cli.batch.record import FileResult
    from rongcuo_cli.render.batch import render_summary
    from rongcuo_cli.batch.summary import BatchSummary, Consistency
    from rongcuo_cli.load.ruleset_loader import load_ruleset
    from rongcuo_cli.load.vocabulary import load_vocabulary
    from rongcuo_cli.cli.console import make_console, print_diagnostics

    err = make_console(no_color=no_color, stderr=True)
    try:
        files = discover(paths, glob)
    except NoInput as exc:
        print_diagnostics(exc.diagnostics, err)
        return ExitCode.USAGE
    from rongcuo_cli.cli.output import files_read, refuse_overwriting_inputs

    compiled = load_ruleset(ruleset_name)  # an unknown id is a usage error (via guarded)
    refuse_overwriting_inputs(output, files, files_read(compiled))
    folder = None
    if documents is not None:
        from rongcuo_cli.cli.documents import FolderWriter

        folder = FolderWriter(*documents, compiled, load_vocabulary(), files)
    options = BatchOptions(ruleset=ruleset_name, jobs=jobs or default_jobs(), consistency=consistency, rulings_as_json=fmt != "csv", timeout=timeout)
    summary = BatchSummary(total=len(files), consistency=Consistency() if consistency else None)
    progress = _Bar(err, len(files)) if not quiet and err.is_terminal else None

    def write_all(handle: IO[bytes]) -> None:
        sink = make_sink(fmt, handle, bom=bom)

        def emit(result: FileResult) -> None:
            sink.write(result)
            summary.add(result)
            if folder is not None:
                folder.add(result.file, result.case_id, bool(result.errors))
            if progress is not None:
                progress.advance()

        run(files, options, emit)
        sink.close()

    interrupted: Interrupted | None = None
    try:
        with stop_on_signals():  # SIGTERM, SIGHUP: cleaned up as Ctrl-C is
            if output is None:
                sys.stdout.flush()
                write_all(sys.stdout.buffer)
                sys.stdout.buffer.flush()
            else:
                _write_file(output, write_all)
    except Interrupted as stop:
        interrupted = stop
    except Stopped as stop:  # after the last file, while the output was being completed
        interrupted = Interrupted(summary.done, summary.total, stop.signum)
    finally:
        if progress is not None:
            progress.stop()
    if interrupted is not None:
        written = "未写出任何输出文件" if output is not None else "标准输出上的结果不完整"
        how = "" if interrupted.signum == signal.SIGINT else f"（收到 {signal.Signals(interrupted.signum).name}）"
        err.print(f"已中断{how}：完成 {interrupted.done} / {interrupted.total} 个文件；{written}。", markup=False)
        return SIGNAL_BASE + interrupted.signum
    if not quiet:
        screen = make_console(no_color=no_color, stderr=output is None)
        render_summary(summary, compiled, load_vocabulary(), screen)
        if output is not None:
            screen.print(f"已写入 {output}（{fmt}，{summary.done} 条记录）", markup=False)
        if folder is not None:
            screen.print(f"已在 {folder.folder} 写出 {folder.count} 份认定意见书（{folder.fmt}）", markup=False)
    if summary.internal_count:
        return ExitCode.INTERNAL
    return ExitCode.INVALID_INPUT if summary.error_count else ExitCode.OK


def _write_file(output: Path, write_all: Callable[[IO[bytes]], None]) -> None:
    from rongcuo_cli.load.atomic import atomic_file
    from rongcuo_cli.cli.output import write_failed

    try:
        with atomic_file(output) as handle:
            write_all(handle)
    except OSError as exc:
        raise write_failed(output, exc) from None


class _Bar:
    """A Rich progress bar refreshed by hand: no background thread while workers are forked."""

    def __init__(self, console, total: int):  # type: ignore[no-untyped-def]
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

        self.progress = Progress(
            TextColumn("审查中"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
            TextColumn("{task.fields[rate]}"), TimeRemainingColumn(),
            console=console, auto_refresh=False, transient=True,
        )
        self.task = self.progress.add_task("batch", total=total, rate="")
        self.count = 0
        self.shown_at = 0.0
        self.progress.start()

    def advance(self) -> None:
        self.count += 1
        now = time.monotonic()
        if now - self.shown_at >= 0.2 or self.count == self.progress.tasks[0].total:
            self.shown_at = now
            speed = self.progress.tasks[0].speed
            self.progress.update(self.task, completed=self.count, rate=f"{speed:.0f} 件/秒" if speed else "")
            self.progress.refresh()

    def stop(self) -> None:
        self.progress.stop()
