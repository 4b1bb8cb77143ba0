"""Where the result goes (issue: attacks 3 and 7): never over an input, and output failures are not bugs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rongcuo_cli.cli import app

from .conftest import ROOT, SAMPLES

runner = CliRunner()
CASE = SAMPLES / "jiaozuo" / "waived_flood_emergency.yaml"
has_dev_full = pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")


def rongcuo(*args: str, stdout=subprocess.PIPE, **kwargs) -> subprocess.Popen:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.Popen([sys.executable, "-m", "rongcuo_cli", *args], cwd=ROOT, env=env, stdout=stdout, stderr=subprocess.PIPE, text=True, **kwargs)


@has_dev_full
@pytest.mark.parametrize("args", [
    ("assess", str(CASE), "-r", "jiaozuo"),
    ("assess", str(CASE), "-r", "jiaozuo", "--json"),
    ("batch", str(SAMPLES / "jiaozuo"), "-r", "jiaozuo", "-q"),
    ("schema", "case"),
])
def test_a_full_disk_is_one_line_and_exit_4(args):
    with open("/dev/full", "w") as full:
        process = rongcuo(*args, stdout=full)
        _, stderr = process.communicate(timeout=60)
    assert process.returncode == 4, stderr
    assert "Traceback" not in stderr and "内部错误" not in stderr
    assert stderr.strip().splitlines()[-1].startswith("错误：无法写出结果")


@has_dev_full
def test_a_full_disk_as_output_file_is_exit_4():
    process = rongcuo("batch", str(SAMPLES / "jiaozuo"), "-r", "jiaozuo", "-q", "-o", "/dev/full", "-f", "jsonl")
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 4, stderr
    assert "无法写入输出文件" in stderr and "Traceback" not in stderr


@pytest.mark.parametrize("args", [
    ("batch", str(SAMPLES), "-r", "jiaozuo", "-q", "--jobs", "1"),
    ("assess", str(CASE), "-r", "jiaozuo", "--json"),
])
def test_a_closed_pipe_stops_quietly_with_141(args):
    process = rongcuo(*args)
    process.stdout.close()  # the reader goes away at once, like `| head -0`
    stderr = process.stderr.read()
    process.wait(timeout=60)
    assert process.returncode == 141, stderr
    assert stderr == ""
