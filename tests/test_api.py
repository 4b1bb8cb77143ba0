"""The public Python API: ``from rongcuo_cli import assess, load_case, load_ruleset, compare``."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

import rongcuo_cli
from rongcuo_cli import UserError, assess, compare, load_case, load_ruleset, shipped_rulesets
from rongcuo_cli.cli import app

from .conftest import SAMPLES

FLOOD = SAMPLES / "jiaozuo" / "waived_flood_emergency.yaml"
UNSTATED = SAMPLES / "national" / "undetermined_exclusions_unstated.yaml"


def test_importing_the_api_loads_no_command_line_or_terminal_library():
    code = (
        "import sys, rongcuo_cli\n"
        "from rongcuo_cli import assess, load_case, load_ruleset, compare, Ruling\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in ('typer', 'click', 'rich') or m.startswith(('rongcuo_cli.cli', 'rongcuo_cli.render')))))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_assess_gives_the_ruling_the_command_line_prints():
    ruling = assess(load_case(FLOOD), load_ruleset("jiaozuo"))
    printed = CliRunner().invoke(app, ["assess", str(FLOOD), "-r", "jiaozuo", "--json", "--no-analysis"]).output
    assert ruling.as_json() == printed
    assert ruling.as_dict() == json.loads(printed)
    assert (ruling.outcome, ruling.outcome_range) == ("waived", ["waived", "reduced", "lighter"])


def test_assess_takes_paths_and_ids_too():
    by_path = assess(str(UNSTATED), "national")
    assert by_path.outcome == "undetermined" and by_path.presumed is not None and by_path.presumed.outcome == "waived"
    ruleset_file = SAMPLES.parent / "rulesets" / "national.yaml"
    assert assess(UNSTATED, ruleset_file).as_dict() | {"trail": None} == by_path.as_dict() | {"trail": None}


def test_analysis_and_overrides_are_keywords():
    plain = assess(FLOOD, "jiaozuo")
    analysed = assess(FLOOD, "jiaozuo", analyse=True)
    assert plain.decisive_facts is None and analysed.decisive_facts
    changed = assess(FLOOD, "jiaozuo", overrides={"private_gain": True})
    assert changed.outcome == "not_tolerated" and changed.overrides[0].fact == "private_gain"


def test_a_case_can_be_given_as_data_with_iso_dates():
    case = load_case({
        "case_id": "API-1", "title": "以数据给出的案件", "subject": {"kind": "unit"},
        "dates": {"occurred": "2024-04-15"}, "facts": {"private_gain": True},
    })
    assert case.dates.occurred.isoformat() == "2024-04-15"
    assert assess(case, "national").exclusions == ["principle_3_private_gain"]


def test_bad_data_is_a_user_error_with_the_same_diagnostics_but_no_line():
    with pytest.raises(UserError) as caught:
        load_case({"case_id": "API-2", "title": "t", "subject": {"kind": "unit"}, "facts": {"privat_gain": True}})
    (problem,) = caught.value.diagnostics
    assert problem.code == "unknown-key" and "private_gain" in (problem.hint or "")
    assert problem.line is None and problem.file == "<案件数据>"


def test_a_bad_ruleset_name_is_a_user_error_listing_the_known_ones():
    with pytest.raises(UserError) as caught:
        load_ruleset("jiaozou")
    assert "jiaozuo" in caught.value.diagnostics[0].message


def test_compare_defaults_to_every_shipped_ruleset():
    comparison = compare(UNSTATED)
    assert [r.ruleset for r in comparison.rulings] == shipped_rulesets()
    assert [r.ruleset for r in compare(UNSTATED, ["liwan", "national"]).rulings] == ["liwan", "national"]


def test_the_face_exports_what_it_lists():
    for name in rongcuo_cli.__all__:
        assert getattr(rongcuo_cli, name) is not None
    with pytest.raises(AttributeError):
        rongcuo_cli.no_such_thing  # noqa: B018


def test_the_readme_example_runs(capsys, monkeypatch):
    readme = (SAMPLES.parent / "README.md").read_text(encoding="utf-8")
    example = readme.split("## Python API", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(SAMPLES.parent)
    exec(compile(example, "README.md", "exec"), {})
    assert "是否想写 `private_gain`" in capsys.readouterr().out


@pytest.mark.parametrize("overrides, message", [
    ({"privat_gain": True}, "是否想写 `private_gain`"),
    ({"loss": "较少"}, "是否想写 `较小`"),
    ({"private_gain": "有"}, "应为 是/否"),
])
def test_bad_overrides_are_user_errors_with_hints(overrides, message):
    with pytest.raises(UserError) as caught:
        assess(FLOOD, "jiaozuo", overrides=overrides)
    assert message in caught.value.diagnostics[0].plain()
