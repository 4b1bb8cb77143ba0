"""An installed wheel carries the ruleset tests, and the authoring commands work from it."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from .conftest import install_wheel


def test_installed_wheel_runs_ruleset_tests_and_checks(tmp_path: Path):
    wheel, site = install_wheel(tmp_path)
    assert "rongcuo_cli/rulesets/tests/jiaozuo.yaml" in zipfile.ZipFile(wheel).namelist()
    env = {**os.environ, "PYTHONPATH": str(site), "COLUMNS": "200", "NO_COLOR": "1"}

    def rongcuo(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "rongcuo_cli", *args], capture_output=True, text=True, cwd=tmp_path, env=env)

    tested = rongcuo("rulesets", "test", "jiaozuo")
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert "项通过，0 项失败" in tested.stdout
    # No seeds beside an installed package: the lint says the quotes went unchecked, a warning.
    checked = rongcuo("rulesets", "check", "jiaozuo")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "警告[quotes-unchecked]" in checked.stdout
    assert rongcuo("rulesets", "check", "jiaozuo", "--strict").returncode == 1
