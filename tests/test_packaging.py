"""The wheel carries the rulesets, and an installed wheel finds them."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from .conftest import SAMPLES, install_wheel


def test_wheel_ships_rulesets_and_works_installed(tmp_path: Path):
    wheel, site = install_wheel(tmp_path)
    names = zipfile.ZipFile(wheel).namelist()
    assert "rongcuo_cli/rulesets/jiaozuo.yaml" in names
    assert "rongcuo_cli/rulesets/_vocabulary.yaml" in names

    env = {**os.environ, "PYTHONPATH": str(site)}
    result = subprocess.run(
        [sys.executable, "-c", "import rongcuo_cli, rongcuo_cli.load.resources as r; print(rongcuo_cli.__file__); print(r.rulesets_dir())"],
        capture_output=True, text=True, cwd=tmp_path, env=env, check=True,
    )
    assert str(site) in result.stdout.splitlines()[0]
    assert str(site) in result.stdout.splitlines()[1]
    assessed = subprocess.run(
        [sys.executable, "-m", "rongcuo_cli", "assess", str(SAMPLES / "jiaozuo" / "waived_flood_emergency.yaml"), "-r", "jiaozuo", "--json"],
        capture_output=True, text=True, cwd=tmp_path, env=env,
    )
    assert assessed.returncode == 0, assessed.stderr
    assert '"outcome": "waived"' in assessed.stdout
