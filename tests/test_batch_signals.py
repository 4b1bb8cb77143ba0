"""``rongcuo batch`` stopped from outside (issue: attack 9): SIGTERM and SIGHUP as Ctrl-C, no orphans, a time limit.

A file named with FAULT_MARK makes its worker hang (RONGCUO_BATCH_FAULT=hang),
so the batch is surely still running when the signal arrives.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rongcuo_cli.batch.run import FAULT_ENV, FAULT_MARK

from .conftest import ROOT, SAMPLES

pytestmark = pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="counts processes through /proc")


@pytest.fixture
def cases(tmp_path: Path) -> Path:
    folder = tmp_path / "cases"
    folder.mkdir()
    for sample in sorted((SAMPLES / "jiaozuo").glob("*.yaml")):
        shutil.copy(sample, folder / sample.name)
    stuck = (SAMPLES / "jiaozuo" / "waived_flood_emergency.yaml").read_text(encoding="utf-8").replace("JZ-2023-011", "JZ-STUCK")
    (folder / f"zz{FAULT_MARK}.yaml").write_text(stuck, encoding="utf-8")
    return folder


def processes_mentioning(marker: str) -> list[int]:
    """Live processes whose command line names ``marker`` (the batch and its forked workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            state = next((line for line in (entry / "status").read_text().splitlines() if line.startswith("State:")), "")
        except OSError:
            continue
        if marker.encode() in cmdline and "zombie" not in state:
            found.append(int(entry.name))
    return found


def start(cases: Path, out: Path, *extra: str) -> subprocess.Popen:
    env = {**os.environ, FAULT_ENV: "hang", "NO_COLOR": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "rongcuo_cli", "batch", str(cases), "-r", "jiaozuo", "-o", str(out), "--jobs", "2", *extra],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 30
    while len(processes_mentioning(str(out))) < 3 and time.monotonic() < deadline:  # the parent and both workers
        time.sleep(0.05)
    time.sleep(1.0)  # let a worker reach the stuck file
    return process


def wait_until_gone(marker: str, seconds: float = 15) -> list[int]:
    deadline = time.monotonic() + seconds
    while processes_mentioning(marker) and time.monotonic() < deadline:
        time.sleep(0.1)
    return processes_mentioning(marker)


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_sigterm_and_sighup_stop_the_workers_and_remove_the_temporary_file(cases, tmp_path, signum, code):
    out = tmp_path / "out" / "o.jsonl"
    out.parent.mkdir()
    process = start(cases, out)
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == code, stderr
    assert f"已中断（收到 {signal.Signals(signum).name}）：完成 " in stderr and "未写出任何输出文件" in stderr
    assert list(out.parent.iterdir()) == []  # no output, no .tmp
    assert wait_until_gone(str(out)) == []
    assert "Traceback" not in stderr


def test_workers_exit_by_themselves_when_the_parent_is_killed(cases, tmp_path):
    out = tmp_path / "o.jsonl"
    process = start(cases, out)
    assert len(processes_mentioning(str(out))) == 3
    process.kill()  # SIGKILL: the parent can clean nothing up
    process.communicate(timeout=30)
    assert wait_until_gone(str(out)) == []


def test_a_file_over_the_time_limit_is_an_error_record_and_the_rest_go_on(cases, tmp_path):
    out = tmp_path / "o.jsonl"
    env = {**os.environ, FAULT_ENV: "hang", "NO_COLOR": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "rongcuo_cli", "batch", str(cases), "-r", "jiaozuo", "-o", str(out), "--jobs", "2", "--timeout", "1", "-q"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 1, result.stderr  # an input problem, not a bug
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == len(list(cases.iterdir()))
    stuck = [r for r in records if "error" in r]
    assert [(Path(r["file"]).name, r["error"]["code"]) for r in stuck] == [(f"zz{FAULT_MARK}.yaml", "timeout")]
    assert "超过 1 秒" in stuck[0]["error"]["message"]
