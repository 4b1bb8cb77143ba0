"""The command line's own words in Chinese: every help page, usage line and usage error."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from rongcuo_cli.cli import app

from .conftest import SAMPLES

COMMANDS = [[], ["assess"], ["batch"], ["compare"], ["explain"], ["schema"], ["coverage"], ["validate"], ["new"], ["facts"],
            ["rulesets"], ["rulesets", "check"], ["rulesets", "test"], ["rulesets", "show"]]
CLICK_ENGLISH = ["Usage:", "Options", "Arguments", "Commands", "Show this message", "[required]", "[default:", "<path>", "<str>", "<list", "<int>", "<float>", "PATH", "TEXT", "KIND", "{"]


def run(*args: str):
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "80", "NO_COLOR": "1"})


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "rongcuo")
def test_every_help_page_is_chinese_and_fits_80_columns(command):
    result = run(*command, "--help")
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("用法：rongcuo")
    assert [word for word in CLICK_ENGLISH if word in out] == []
    assert all(cell_len(line) <= 80 for line in out.splitlines())


def test_completion_can_be_installed_and_shown():
    out = run("--help").output
    assert "--install-completion" in out and "--show-completion" in out
    shown = subprocess.run([sys.executable, "-m", "rongcuo_cli", "--show-completion", "bash"], capture_output=True, text=True)
    assert shown.returncode == 0 and "_rongcuo_completion" in shown.stdout


@pytest.mark.parametrize("args, message", [
    (["assess"], "错误：缺少参数 案件文件"),
    (["assess", "x.yaml", "-r", "jiaozuo", "--bogus"], "错误：没有选项 --bogus"),
    (["asess"], "错误：没有命令 asess；是否想写 'assess'？"),
    (["batch", str(SAMPLES), "-r", "jiaozuo", "--jobs", "x"], "错误：--jobs / -j 的取值不合法：应为整数"),
    (["assess", "a.yaml", "b.yaml", "-r", "jiaozuo"], "错误：多余的参数：b.yaml"),
    (["assess", "a.yaml", "-r"], "错误：选项 -r 后面要写一个值"),
    (["batch", str(SAMPLES), "-r", "jiaozuo", "--jobs", "0"], "错误：--jobs / -j 的取值不合法：应不小于 1"),
    (["schema", "bogus"], "错误：类型 的取值不合法：“bogus”不在可选值 'case'、'ruleset'、'test'、'ruling' 之中"),
])
def test_usage_errors_are_chinese_with_exit_2(args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.output
    if "-r" not in args[-1:]:  # an option missing its value is found before a command is known
        assert "用法：rongcuo" in result.output and "查看帮助" in result.output
    assert not re.search(r"\b(Error|Usage|Try|Missing|No such|Invalid|Got)\b", result.output)
