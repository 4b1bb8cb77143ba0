"""The process exit codes, one enum, documented in the README."""

import signal
from enum import IntEnum

# A process stopped by signal N exits with 128 + N, as shells report it.
SIGNAL_BASE = 128


class ExitCode(IntEnum):
    OK = 0
    INVALID_INPUT = 1  # a case or ruleset file has problems; each is reported
    USAGE = 2  # wrong command-line use: unknown option, unknown ruleset id, an output that is an input
    INTERNAL = 3  # a bug in rongcuo: please report it
    OUTPUT_FAILED = 4  # the result could not be written (full disk, no permission, I/O error): the user's environment
    HANGUP = SIGNAL_BASE + signal.SIGHUP  # 129: batch stopped by SIGHUP, cleaned up like Ctrl-C
    INTERRUPTED = SIGNAL_BASE + signal.SIGINT  # 130: Ctrl-C during a batch: nothing half-written is left behind
    BROKEN_PIPE = SIGNAL_BASE + signal.SIGPIPE  # 141: the reader of standard output went away (`| head`): stop quietly
    TERMINATED = SIGNAL_BASE + signal.SIGTERM  # 143: batch stopped by SIGTERM, cleaned up like Ctrl-C
