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


# --- 3: an output that is one of the files read -------------------------------------------

RULES = ROOT / "tests" / "lint" / "warnings_only.yaml"


def run(*args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "100", "NO_COLOR": "1"})


def own_ruleset(folder: Path, extra: str = "") -> Path:
    path = folder / "my.yaml"
    path.write_text(RULES.read_text(encoding="utf-8").replace("short_title:", extra + "short_title:", 1), encoding="utf-8")
    return path


def assert_refused(result, victim: Path, before: bytes) -> None:
    assert result.exit_code == 2, result.output
    assert "错误[output-is-input]" in result.output
    assert victim.read_bytes() == before, "the input was overwritten"


def test_assess_refuses_to_write_over_its_ruleset(tmp_path):
    rules = own_ruleset(tmp_path)
    before = rules.read_bytes()
    assert_refused(run("assess", str(CASE), "--ruleset", str(rules), "-o", str(rules)), rules, before)


def test_an_output_that_is_the_parent_or_a_version_is_refused(tmp_path):
    parent = own_ruleset(tmp_path)
    parent_bytes = parent.read_bytes()
    child = tmp_path / "child.yaml"
    child.write_text(parent.read_text(encoding="utf-8").replace("id: warnings_only", "id: child").replace("short_title:", "extends: my.yaml\nshort_title:", 1), encoding="utf-8")
    assert_refused(run("assess", str(CASE), "-r", str(child), "-o", str(parent)), parent, parent_bytes)
    assert_refused(run("batch", str(CASE), "-r", str(child), "-o", str(parent), "-f", "jsonl", "-q"), parent, parent_bytes)

    versioned = SAMPLES.parent / "tests" / "fixtures" / "versions"
    old = next(p for p in sorted(versioned.glob("*.yaml")) if "versions:" not in p.read_text(encoding="utf-8"))
    new = next(p for p in sorted(versioned.glob("*.yaml")) if "versions:" in p.read_text(encoding="utf-8"))
    copy_old, copy_new = tmp_path / old.name, tmp_path / new.name
    copy_old.write_bytes(old.read_bytes())
    copy_new.write_bytes(new.read_bytes())
    assert_refused(run("assess", str(CASE), "-r", str(copy_new), "-o", str(copy_old)), copy_old, old.read_bytes())


def test_a_hard_link_or_symlink_to_the_case_is_refused(tmp_path):
    case = tmp_path / "case.yaml"
    case.write_bytes(CASE.read_bytes())
    hard, soft = tmp_path / "hard.json", tmp_path / "soft.json"
    os.link(case, hard)
    soft.symlink_to(case)
    for output in (hard, soft):
        assert_refused(run("assess", str(case), "-r", "jiaozuo", "-o", str(output)), case, CASE.read_bytes())
