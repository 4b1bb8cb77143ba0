"""Run many case files through one ruleset: find them, assess them in worker processes, keep input order.

Every input file yields exactly one result, also when a worker process dies:
the parent knows which files each worker holds; when one dies its files are
retried one by one in fresh workers, and the file that kills a worker on its
own gets an error record. Results are handed on strictly in input order, so
the output is the same bytes for any number of workers.
"""

from __future__ import annotations

import contextlib
import ctypes
import fnmatch
import multiprocessing
import os
import signal
import sys
import time
from collections import deque
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from rongcuo_cli.batch.compact import FirstUse, PathList
from rongcuo_cli.batch.record import FileResult, assess_file, duplicate_id_result, error_result, internal_error, load_case_fast
from rongcuo_cli.batch.ruling_bytes import FragmentTable, Fragments
from rongcuo_cli.load import plain_yaml
from rongcuo_cli.model.diagnostics import Diagnostic, UserError
from rongcuo_cli.load.ruleset_loader import load_ruleset
from rongcuo_cli.load.vocabulary import load_vocabulary
from rongcuo_cli.load.yaml_source import YAML_SUFFIXES

MAX_CHUNK = 32
# Seconds one file may take (``--timeout``): a file under the size limit takes about one.
DEFAULT_TIMEOUT = 30.0
# How often an idle worker checks that its parent is still alive.
PARENT_CHECK_SECONDS = 1.0
_PR_SET_PDEATHSIG = 1  # Linux prctl: a signal for this process when its parent dies
# Test-only fault injection: with RONGCUO_BATCH_FAULT=exit (or hang), a worker
# dies (or stalls) on any file whose name contains FAULT_MARK.
FAULT_ENV = "RONGCUO_BATCH_FAULT"
FAULT_MARK = "__rongcuo_fault__"

Task = list[tuple[int, str]]


class NoInput(UserError):
    """A path that does not exist, or nothing to assess: a usage error."""


class Interrupted(Exception):
    """Ctrl-C (or SIGTERM, SIGHUP: ``signum``): nothing was written; ``done`` of ``total`` files had been finished."""

    def __init__(self, done: int, total: int, signum: int = signal.SIGINT):
        super().__init__(f"{done}/{total}")
        self.done = done
        self.total = total
        self.signum = signum


class Stopped(BaseException):
    """SIGTERM or SIGHUP arrived: unwinds like KeyboardInterrupt (which ``except Exception`` does not catch)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise ``Stopped``, so workers are stopped and temporary files removed."""

    def stop(signum: int, frame: object) -> None:
        raise Stopped(signum)

    previous = {signum: signal.signal(signum, stop) for signum in STOP_SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def discover(paths: Iterable[Path], glob: str | None = None) -> PathList:
    """Case files under ``paths`` (recursive for folders), de-duplicated, in sorted order.

    ``glob`` narrows what folders contribute (matched against the file name and
    the path below the folder); files named on the command line are always taken.
    The list is compact (see ``PathList``): a year of cases should cost little memory.
    """
    paths = list(paths)
    found: list[str] = []
    missing: list[Diagnostic] = []
    for path in paths:
        if path.is_dir():
            found.extend(_walk(str(path), glob))
        elif path.is_file():
            found.append(str(path))
        else:
            missing.append(Diagnostic(file=str(path), code="not-found", message="路径不存在", hint="检查文件或目录的路径"))
    if missing:
        raise NoInput(missing)
    if len(paths) > 1:  # overlapping arguments (a folder and a file in it): keep the first spelling
        seen: set[str] = set()
        found = [f for f in found if not (os.path.abspath(f) in seen or seen.add(os.path.abspath(f)))]  # type: ignore[func-returns-value]
    if not found:
        where = "、".join(str(p) for p in paths)
        raise NoInput([Diagnostic(file=where, code="no-input", message="没有找到案件文件（*.yaml、*.yml）" + (f"，或没有文件匹配 `{glob}`" if glob else ""), hint="给出案件文件或包含案件文件的目录")])
    found.sort(key=_sort_key)
    return PathList(found)  # the strings are freed before any worker is forked


def _sort_key(file: str) -> str:
    return file.replace(os.sep, "/") if os.sep != "/" else file


def _walk(folder: str, glob: str | None) -> Iterable[str]:
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        for name in names:
            if os.path.splitext(name)[1].lower() in YAML_SUFFIXES:
                file = os.path.join(root, name)
                if glob is None or fnmatch.fnmatch(name, glob) or fnmatch.fnmatch(os.path.relpath(file, folder).replace(os.sep, "/"), glob):
                    yield file


@dataclass(frozen=True)
class BatchOptions:
    ruleset: str
    jobs: int
    consistency: bool = False
    rulings_as_json: bool = True  # CSV needs only the summary fields: skip serialising the ruling
    timeout: float = DEFAULT_TIMEOUT  # seconds per file


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _serve(conn: Connection, options: BatchOptions, parent: int) -> None:
    """A worker: load the ruleset once, then assess the tasks sent until told to stop, or until the parent is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops us
    for signum in STOP_SIGNALS:
        signal.signal(signum, signal.SIG_DFL)  # the parent's handlers, inherited by fork, are not ours
    _die_with(parent)
    ruleset = load_ruleset(options.ruleset)
    vocab = load_vocabulary()
    fragments = Fragments()
    fault = os.environ.get(FAULT_ENV)
    while True:
        # Why poll: other workers hold copies of our pipe's ends, so a dead parent is no EOF.
        while not conn.poll(PARENT_CHECK_SECONDS):
            if os.getppid() != parent:
                return
        task = conn.recv()
        if task is None:
            return
        fragments.start_chunk()
        results = []
        for index, file in task:
            if fault and FAULT_MARK in file:
                _inject(fault)
            results.append(assess_file(index, Path(file), ruleset, vocab, with_facts=options.consistency,
                                       with_json=options.rulings_as_json, fragments=fragments))
        # One message per chunk: the trail entries new to the parent, then the records that use them.
        conn.send((fragments.take_new(), results))


def _die_with(parent: int) -> None:
    """Be killed with the parent, even by SIGKILL and even while busy on a file (Linux); elsewhere the idle poll notices."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # died before the request took effect
        os._exit(0)


def _inject(fault: str) -> None:
    if fault == "exit":
        os._exit(70)
    if fault == "hang":
        signal.pause()


class _Worker:
    def __init__(self, context: multiprocessing.context.BaseContext, options: BatchOptions):
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, options, os.getpid()), daemon=True)
        self.process.start()
        child.close()
        self.task: Task | None = None
        self.deadline = 0.0
        self.fragments = FragmentTable()  # this worker's numbered trail entries

    def give(self, task: Task, timeout: float) -> None:
        self.task = task
        # The per-file limit, for the whole chunk: a chunk of ordinary files takes milliseconds;
        # one that overruns is retried file by file, each with the limit to itself.
        self.deadline = time.monotonic() + timeout
        try:
            self.conn.send(task)
        except OSError:
            pass  # the worker is gone: its sentinel says so, and the task is retried

    def stop(self, *, now: bool = False) -> None:
        if not now and self.process.is_alive():
            try:
                self.conn.send(None)
            except OSError:
                pass
            self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


def _context() -> multiprocessing.context.BaseContext:
    # fork starts a worker in milliseconds with the ruleset already loaded; elsewhere, spawn.
    return multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")


class _Pool:
    """Workers fed chunks of files; a dead worker's chunk is retried file by file."""

    def __init__(self, files: Sequence[str], options: BatchOptions):
        self.options = options
        self.context = _context()
        jobs = max(1, min(options.jobs, len(files)))
        size = max(1, min(MAX_CHUNK, len(files) // (jobs * 8)))
        # Chunks are cut as they are handed out (memory stays flat in the number of files);
        # files of a dead worker's chunk come back one by one through ``retry``.
        self.chunks = ([(i, files[i]) for i in range(start, min(start + size, len(files)))] for start in range(0, len(files), size))
        self.retry: deque[Task] = deque()
        self.workers = [_Worker(self.context, options) for _ in range(jobs)]

    def results(self) -> Iterable[FileResult]:
        """Results as workers finish them (any order)."""
        for worker in self.workers:
            self._feed(worker)
        while any(w.task is not None for w in self.workers):
            busy = {w.conn: w for w in self.workers if w.task is not None}
            sentinels = {w.process.sentinel: w for w in busy.values()}
            first_deadline = min(w.deadline for w in busy.values())
            ready_list = wait(list(busy) + list(sentinels), timeout=max(0.0, first_deadline - time.monotonic()))
            if not ready_list:
                now = time.monotonic()
                for worker in [w for w in busy.values() if w.deadline <= now]:
                    yield from self._lost(worker, timed_out=True)
                continue
            for ready in ready_list:
                worker = busy.get(ready) or sentinels[ready]  # type: ignore[call-overload]
                if worker.task is None:
                    continue
                try:
                    if not worker.conn.poll():
                        raise EOFError
                    (first, new), done = worker.conn.recv()
                except Exception:  # EOF, or a message cut off by the worker's death
                    yield from self._lost(worker)
                    continue
                worker.task = None
                worker.fragments.update(first, new)
                self._feed(worker)  # the worker goes on while its records are joined and written
                join = worker.fragments.join
                for result in done:
                    yield result if result.parts is None else replace(result, json=join(result.parts), parts=None)

    def _feed(self, worker: _Worker) -> None:
        task = self.retry.popleft() if self.retry else next(self.chunks, None)
        if task is not None:
            worker.give(task, self.options.timeout)

    def _lost(self, worker: _Worker, *, timed_out: bool = False) -> Iterable[FileResult]:
        task = worker.task or []
        worker.task = None
        worker.stop(now=True)
        replacement = _Worker(self.context, self.options)
        self.workers[self.workers.index(worker)] = replacement
        if len(task) > 1:
            self.retry.extendleft([item] for item in reversed(task))
        else:
            for index, file in task:
                yield error_result(index, file, [_timed_out(file, self.options.timeout) if timed_out else _died(file)])
        self._feed(replacement)

    def close(self, *, now: bool = False) -> None:
        for worker in self.workers:
            worker.stop(now=now)


def _died(file: str) -> Diagnostic:
    message = "处理该文件时工作进程意外退出（可能是程序缺陷或内存不足）；其他文件不受影响"
    return internal_error(file, message, code="worker-died")


def _timed_out(file: str, timeout: float) -> Diagnostic:
    """A file that takes longer than ``--timeout`` is bad input (a flood, a convoluted ruleset), not a bug."""
    return Diagnostic(file=file, code="timeout", message=f"处理该文件超过 {timeout:g} 秒，已停止；其他文件不受影响",
                      hint="检查该文件是否异常庞大；确需更多时间时用 --timeout 放宽")


def _case_id_of(file: str) -> str | None:
    try:
        return load_case_fast(Path(file)).case_id
    except UserError:
        return None


def run(files: Sequence[str], options: BatchOptions, emit: Callable[[FileResult], None]) -> int:
    """Assess every file and call ``emit`` once per file, in input order; return the count.

    A later file repeating an earlier case_id is emitted as an error record.
    Ctrl-C (or ``Stopped``, see ``stop_on_signals``) stops the workers and raises Interrupted.
    """
    load_ruleset(options.ruleset)  # usage errors before any worker starts; forked workers inherit it
    plain_yaml.yaml_rs()  # likewise the case parser, imported once rather than in every worker
    pool = _Pool(files, options)
    pending: dict[int, FileResult] = {}
    seen = FirstUse(files, _case_id_of)
    next_index = 0
    try:
        for result in pool.results():
            pending[result.index] = result
            while next_index in pending:
                ready = pending.pop(next_index)
                first = seen.first(ready.index, ready.case_id)
                if first is not None:
                    ready = duplicate_id_result(ready, files[first])
                emit(ready)
                next_index += 1
    except KeyboardInterrupt:
        pool.close(now=True)
        raise Interrupted(next_index, len(files)) from None
    except Stopped as stop:
        pool.close(now=True)
        raise Interrupted(next_index, len(files), stop.signum) from None
    except BaseException:
        pool.close(now=True)
        raise
    pool.close()
    return next_index
