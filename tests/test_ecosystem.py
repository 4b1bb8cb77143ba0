"""Hooks for the tools around rongcuo: pre-commit hooks and the JSON Schemas editors read."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from rongcuo_cli.authoring.schema import SCHEMAS, schema_text
from rongcuo_cli.load.vocabulary import load_vocabulary

from .conftest import ROOT, SAMPLES, UPDATE_GOLDEN

HOOKS = {hook["id"]: hook for hook in YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
TRACKED = sorted(str(p.relative_to(ROOT)) for p in [*SAMPLES.rglob("*.yaml"), *(ROOT / "rulesets").rglob("*.yaml")])


def _selected(hook: dict) -> list[str]:
    """The files pre-commit would hand the hook (``files``/``exclude`` are searched in the path)."""
    files = [f for f in TRACKED if re.search(hook.get("files", ""), f)]
    if "exclude" in hook:
        files = [f for f in files if not re.search(hook["exclude"], f)]
    return files


def _run(hook: dict, files: list[str]) -> subprocess.CompletedProcess:
    command = shlex.split(hook["entry"])
    assert command[0] == "rongcuo"
    return subprocess.run([sys.executable, "-m", "rongcuo_cli", *command[1:], *files], capture_output=True, text=True, cwd=ROOT)


def test_each_hook_sees_only_its_kind_of_file():
    assert set(HOOKS) == {"rongcuo-validate", "rongcuo-rulesets-check", "rongcuo-rulesets-test"}
    cases, rulesets, tests = (_selected(HOOKS[i]) for i in ("rongcuo-validate", "rongcuo-rulesets-check", "rongcuo-rulesets-test"))
    assert cases and all(f.startswith("samples/") for f in cases)
    assert sorted(rulesets) == sorted(f"rulesets/{p.name}" for p in (ROOT / "rulesets").glob("*.yaml") if not p.name.startswith("_"))
    assert tests and all(f.startswith("rulesets/tests/") for f in tests)


@pytest.mark.parametrize("hook_id", ["rongcuo-validate", "rongcuo-rulesets-check", "rongcuo-rulesets-test"])
def test_each_hook_passes_on_the_shipped_files(hook_id):
    result = _run(HOOKS[hook_id], _selected(HOOKS[hook_id]))
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_validate_hook_fails_a_bad_case_with_its_position(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("case_id: X\ntitle: t\nsubject: {kind: unit}\nfacts:\n  privat_gain: true\n", encoding="utf-8")
    result = _run(HOOKS["rongcuo-validate"], [str(bad)])
    assert result.returncode == 1
    assert f"{bad}:5:3:" in result.stdout


@pytest.mark.parametrize("kind", sorted(SCHEMAS))
def test_the_schema_files_for_editors_are_current(kind):
    """``schemas/*.schema.json`` are what ``rongcuo schema KIND`` writes (UPDATE_GOLDEN=1 rewrites them)."""
    path = ROOT / "schemas" / f"{kind}.schema.json"
    text = schema_text(kind, load_vocabulary())
    if UPDATE_GOLDEN:
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text, f"{path.name} is stale: rerun with UPDATE_GOLDEN=1"


def test_the_readme_points_editors_at_the_schema_files():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for kind in ("case", "ruleset"):
        assert f"schemas/{kind}.schema.json" in readme
        assert Path(ROOT / "schemas" / f"{kind}.schema.json").is_file()
