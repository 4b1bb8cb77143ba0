"""Every shipped ruleset has samples for each outcome it can give and each of its exclusions."""

from __future__ import annotations

import pytest
from ruamel.yaml import YAML

from rongcuo_cli.load.ruleset_loader import load_ruleset, shipped_ids

from .conftest import GOLDEN

EXPECTATIONS = YAML(typ="safe").load((GOLDEN / "expectations.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("ruleset_id", shipped_ids())
def test_samples_cover_outcomes_and_exclusions(ruleset_id):
    compiled = load_ruleset(ruleset_id)
    expected = EXPECTATIONS.get(ruleset_id, {}).values()
    outcomes_given = {e["outcome"] for e in expected}
    outcomes_possible = {r.rule.outcome for r in compiled.section("outcome")} | {"not_tolerated", "undetermined"}  # type: ignore[attr-defined]
    assert outcomes_possible <= outcomes_given
    exclusions_shown = {x for e in expected for x in e.get("exclusions", [])}
    assert {r.rule.id for r in compiled.section("exclusion")} <= exclusions_shown
