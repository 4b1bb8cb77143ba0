"""The command line: parses arguments, calls the core, prints, picks exit codes."""

from __future__ import annotations

from rongcuo_cli.cli.app import app


def main() -> None:
    """Entry point of the ``rongcuo`` console script and ``python -m rongcuo_cli``."""
    from rongcuo_cli.cli.streams import run  # output failures (closed pipe, full disk) are the environment's, not bugs

    run(lambda: app(prog_name="rongcuo"))


__all__ = ["app", "main"]
