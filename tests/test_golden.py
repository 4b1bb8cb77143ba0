"""Every shipped sample gives the ruling its expectation says, byte-stable JSON."""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from rongcuo_cli.load.case_file import load_case
from rongcuo_cli.cli.output import to_json
from rongcuo_cli.engine.advice import advise
from rongcuo_cli.load.ruleset_loader import load_ruleset
from rongcuo_cli.load.vocabulary import load_vocabulary

from .conftest import GOLDEN, SAMPLES, UPDATE_GOLDEN

EXPECTATIONS = YAML(typ="safe").load((GOLDEN / "expectations.yaml").read_text(encoding="utf-8"))
SAMPLE_FILES = sorted(SAMPLES.glob("*/*.yaml"))


def _ruling(path: Path, ruleset: str):
    return advise(load_case(path), load_ruleset(ruleset), load_vocabulary())


def test_every_sample_has_an_expectation():
    listed = {f"{rs}/{name}" for rs, cases in EXPECTATIONS.items() for name in cases}
    on_disk = {f"{p.parent.name}/{p.stem}" for p in SAMPLE_FILES}
    assert on_disk == listed


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_sample_matches_expectation(path: Path):
    expected = EXPECTATIONS[path.parent.name][path.stem]
    ruling = _ruling(path, path.parent.name)
    assert ruling.outcome == expected["outcome"]
    assert ruling.exclusions == expected.get("exclusions", ruling.exclusions)
    if "matched" in expected:
        assert ruling.matched == expected["matched"]
    if "missing_facts" in expected:
        assert ruling.missing_facts == expected["missing_facts"]
    else:
        assert ruling.missing_facts == []
    if "decided_by" in expected:
        assert [e.rule for e in ruling.trail if e.decided] == [expected["decided_by"]]
    if "failed_requirements" in expected:
        failed = [e.rule for e in ruling.trail if e.kind == "requirement" and e.result == "false"]
        assert failed == expected["failed_requirements"]
    if "outcome_range" in expected:
        assert ruling.outcome_range == expected["outcome_range"]
    assert ruling.outcome in ruling.outcome_range
    if "presumed_outcome" in expected:
        assert ruling.presumed is not None and ruling.presumed.outcome == expected["presumed_outcome"]
    if "presumed_range" in expected:
        assert ruling.presumed.outcome_range == expected["presumed_range"]
    late = [step.id for step in ruling.procedure if step.status is not None and step.status.timely is False]
    assert late == expected.get("late_steps", [])


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_sample_json_snapshot(path: Path):
    text = to_json(_ruling(path, path.parent.name))
    snapshot = GOLDEN / path.parent.name / f"{path.stem}.json"
    if UPDATE_GOLDEN:
        snapshot.parent.mkdir(parents=True, exist_ok=True)
        snapshot.write_text(text, encoding="utf-8")
    assert snapshot.exists(), f"no snapshot for {path}; run UPDATE_GOLDEN=1 pytest to create it"
    assert text == snapshot.read_text(encoding="utf-8")
