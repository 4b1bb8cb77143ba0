"""The process exit codes, one enum, documented in the README."""

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    INVALID_INPUT = 1  # a case or ruleset file has problems; each is reported
    USAGE = 2  # wrong command-line use: unknown option, unknown ruleset id
    INTERNAL = 3  # a bug in rongcuo: please report it
    INTERRUPTED = 130  # Ctrl-C during a batch: nothing half-written is left behind
