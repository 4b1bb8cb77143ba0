"""Standard output that fails: a reader gone away, a full disk.

Why: both are the user's environment, not a bug. A closed pipe (``| head``)
ends the run quietly with 141, as a process killed by SIGPIPE would; any
other failure to write the result says so in one line and exits 4. Output is
often buffered, so the last write may only fail when it is flushed: ``run``
flushes standard output itself, before the interpreter would do it silently.
"""

from __future__ import annotations

import errno
import os
import sys
from typing import Callable

from rongcuo_cli.cli.exit_codes import ExitCode

# Errors that mean "the result could not be written", whatever the command.
OUTPUT_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS, errno.EPIPE})


def is_output_error(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in OUTPUT_ERRNOS


def silence_stdout() -> None:
    """Point standard output at /dev/null, so that nothing more is written or flushed to a dead pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # no real file descriptor (e.g. under a test runner)
        pass


def output_failed(exc: OSError) -> int:
    """The exit code for ``exc`` raised while writing the result, after saying what happened."""
    if isinstance(exc, BrokenPipeError) or exc.errno == errno.EPIPE:
        silence_stdout()
        return ExitCode.BROKEN_PIPE
    from rongcuo_cli.model.diagnostics import os_reason

    reason = os_reason(exc)
    try:
        sys.stderr.write(f"错误：无法写出结果：{reason}（检查磁盘空间、写权限和输出目标）\n")
        sys.stderr.flush()
    except OSError:
        pass
    return ExitCode.OUTPUT_FAILED


def run(entry: Callable[[], object]) -> None:
    """Run the command line and flush standard output, mapping output failures to their exit codes."""
    code: object = 0
    try:
        entry()
    except SystemExit as done:
        code = done.code
    try:
        sys.stdout.flush()
    except OSError as exc:
        if not is_output_error(exc):
            raise
        code = output_failed(exc)
    sys.exit(code)
