"""``Ruling.as_dict`` (contract 2 as plain data) is fast because rulings share parts; it must still
equal Pydantic's own dump exactly, key order included, and hand out containers no other ruling sees."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rongcuo_cli import Ruling, assess, load_case, load_ruleset, shipped_rulesets

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SAMPLE_FILES = sorted(SAMPLES.glob("*/*.yaml"))


@pytest.mark.parametrize("ruleset_id", shipped_rulesets())
def test_as_dict_equals_model_dump_for_every_sample(ruleset_id: str):
    ruleset = load_ruleset(ruleset_id)
    for path in SAMPLE_FILES:
        case = load_case(path)
        for analyse in (False, True):
            ruling = assess(case, ruleset, analyse=analyse)
            expected = ruling.model_dump(mode="json")
            got = ruling.as_dict()
            # json.dumps compares order at every level, and tells True from 1.
            assert json.dumps(got, ensure_ascii=False) == json.dumps(expected, ensure_ascii=False), (path, analyse)
            # The engine builds rulings without validating them: every value must be of its field's type.
            assert Ruling.model_validate(ruling.model_dump()) == ruling, (path, analyse)


def test_changing_one_result_changes_no_other_ruling():
    ruleset = load_ruleset("jiaozuo")
    case = load_case(SAMPLES / "jiaozuo" / "waived_flood_emergency.yaml")
    ruling = assess(case, ruleset)
    first = ruling.as_dict()
    pristine = json.dumps(first, ensure_ascii=False)

    def spoil(value):
        if isinstance(value, dict):
            for key in list(value):
                spoil(value[key])
            value["spoiled"] = True
        elif isinstance(value, list):
            for item in value:
                spoil(item)
            value.append("spoiled")

    spoil(first)
    assert json.dumps(ruling.as_dict(), ensure_ascii=False) == pristine
    # Another ruling built from the same shared trail entries is untouched too.
    assert json.dumps(assess(case, ruleset).as_dict(), ensure_ascii=False) == pristine
