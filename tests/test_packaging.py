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
    assert "rongcuo_cli/py.typed" in names  # PEP 561: type checkers read the API's annotations
    for template in ("opinion.md.j2", "opinion.html.j2"):  # the 认定意见书 templates are found in an installed wheel
        assert f"rongcuo_cli/render/document/templates/{template}" in names
    for room in ("model", "load", "engine", "batch", "render", "authoring", "cli"):
        assert f"rongcuo_cli/{room}/__init__.py" in names

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
    written = subprocess.run(
        [sys.executable, "-m", "rongcuo_cli", "assess", str(SAMPLES / "jiaozuo" / "waived_flood_emergency.yaml"), "-r", "jiaozuo", "--document", "d.html"],
        capture_output=True, text=True, cwd=tmp_path, env=env,
    )
    assert written.returncode == 0, written.stderr
    assert "容错纠错认定意见书" in (tmp_path / "d.html").read_text(encoding="utf-8")


API_USE = """\
from rongcuo_cli import OutcomeValue, Ruling, assess, load_case, load_ruleset

ruling: Ruling = assess(load_case("case.yaml"), load_ruleset("jiaozuo"))
point: str = ruling.outcome
lawful: list[OutcomeValue] = ruling.outcome_range
data: dict = ruling.as_dict()
"""
API_MISUSE = API_USE + "count: int = ruling.outcome\n"


def test_installed_api_is_typed_for_a_users_type_checker(tmp_path: Path):
    _, site = install_wheel(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(site)}
    results = []
    for name, text in (("use.py", API_USE), ("misuse.py", API_MISUSE)):
        script = tmp_path / name
        script.write_text(text, encoding="utf-8")
        results.append(subprocess.run(
            [sys.executable, "-m", "mypy", "--python-executable", sys.executable, "--follow-imports=silent",
             "--no-incremental", "--strict-optional", str(script)],
            capture_output=True, text=True, cwd=tmp_path, env=env,
        ))
    used, misused = results
    assert used.returncode == 0, used.stdout + used.stderr
    assert misused.returncode == 1 and 'Incompatible types in assignment (expression has type "Literal[' in misused.stdout
