"""Run a command so that user errors print cleanly and bugs never dump a traceback."""

from __future__ import annotations

import os
import traceback
from typing import TYPE_CHECKING, Callable, NoReturn, TypeVar

import typer

from rongcuo_cli.cli.exit_codes import ExitCode

if TYPE_CHECKING:  # imported when a command runs: `rongcuo --help` loads no Pydantic
    from rongcuo_cli.model.diagnostics import UserError

T = TypeVar("T")
REPORT_TO = "请把所用命令和输入文件发给 rongcuo 维护团队（仓库 issues）。"


def debug_from_environment() -> bool:
    return bool(os.environ.get("RONGCUO_DEBUG"))


class Settings:
    # Set for each run by the app's callback, so one run's --debug never leaks into the next.
    debug: bool = debug_from_environment()


def _is_usage_error(exc: UserError) -> bool:
    # Imported here: the loader (and the models behind it) is only needed once an error is raised.
    from rongcuo_cli.load.ruleset_loader import UnknownRuleset
    from rongcuo_cli.model.diagnostics import UsageError

    return isinstance(exc, (UnknownRuleset, UsageError))


def _exit_code(exc: UserError) -> ExitCode:
    from rongcuo_cli.model.diagnostics import OutputError

    if isinstance(exc, OutputError):
        return ExitCode.OUTPUT_FAILED
    return ExitCode.USAGE if _is_usage_error(exc) else ExitCode.INVALID_INPUT


def guarded(action: Callable[[], T]) -> T:
    """Call ``action``; map UserError to exit 1 (2 for an unknown ruleset or a wrong argument, 4 for an unwritable output)."""
    from rongcuo_cli.model.diagnostics import UserError

    try:
        return action()
    except UserError as exc:
        from rongcuo_cli.cli.console import make_console, print_diagnostics  # Rich only when there is something to show

        print_diagnostics(exc.diagnostics, make_console(stderr=True))
        raise typer.Exit(_exit_code(exc)) from None
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except OSError as exc:
        from rongcuo_cli.cli.streams import is_output_error, output_failed

        if not is_output_error(exc):
            _internal(exc)
        raise typer.Exit(output_failed(exc)) from None
    except Exception as exc:  # a bug: say so briefly, the traceback only under --debug
        _internal(exc)


def _internal(exc: Exception) -> NoReturn:
    from rongcuo_cli.cli.console import make_console

    console = make_console(stderr=True)
    if Settings.debug:
        console.print(traceback.format_exc(), markup=False, highlight=False)
    console.print(f"内部错误（程序缺陷）：{type(exc).__name__}: {exc}", markup=False)
    console.print(f"{REPORT_TO} 加 --debug 可显示详细信息。", markup=False)
    raise typer.Exit(ExitCode.INTERNAL) from None
