"""``rongcuo coverage``: which rules a folder of cases makes fire, never fire, or leaves unknown."""

from __future__ import annotations

import json
import shutil

from typer.testing import CliRunner

from rongcuo_cli.load.case_file import load_case
from rongcuo_cli.cli import app
from rongcuo_cli.engine.assess import assess
from rongcuo_cli.load.ruleset_loader import load_ruleset
from rongcuo_cli.load.vocabulary import load_vocabulary

from .conftest import ROOT, SAMPLES

JIAOZUO = SAMPLES / "jiaozuo"


def run(*args: str):
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "200", "NO_COLOR": "1"})


def coverage_json(folder, ruleset="jiaozuo"):
    result = run("coverage", str(folder), "--ruleset", ruleset, "--json")
    return result, json.loads(result.stdout) if result.stdout.strip() else None


def test_counts_add_up_over_the_samples():
    result, data = coverage_json(JIAOZUO)
    assert result.exit_code == 0
    cases = sorted(JIAOZUO.glob("*.yaml"))
    assert len(data["cases"]) == len(cases)
    for rule in data["rules"]:
        assert rule["true"] + rule["false"] + rule["unknown"] == len(cases), rule["rule"]
    # one deciding outcome entry per waived / reduced / lighter sample, none for the others
    decided = sum(rule["decided"] for rule in data["rules"])
    assert decided == sum(1 for c in cases if c.name.split("_")[0] in ("waived", "reduced", "lighter"))


def test_each_exclusion_sample_makes_its_exclusion_fire():
    _, data = coverage_json(JIAOZUO)
    for exclusion in ("exclusion_1_violates_discipline", "exclusion_2_major_loss", "exclusion_3_ignored_warning",
                      "exclusion_4_repeated", "principle_3_private_gain"):
        assert exclusion in data["fired"]


def test_fired_never_fired_and_unknown_follow_the_rulings(tmp_path):
    for name in ("waived_flood_emergency.yaml", "undetermined_historical_issue.yaml"):
        shutil.copy(JIAOZUO / name, tmp_path / name)
    _, data = coverage_json(tmp_path)
    ruleset, vocab = load_ruleset("jiaozuo"), load_vocabulary()
    trails = [assess(load_case(tmp_path / name), ruleset, vocab).trail for name in sorted(p.name for p in tmp_path.iterdir())]
    true = {e.rule for trail in trails for e in trail if e.result == "true"}
    unknown = {e.rule for trail in trails for e in trail if e.result == "unknown"}
    assert set(data["fired"]) == true
    assert set(data["never_fired"]) == {r.rule.id for r in ruleset.rules} - true
    assert set(data["left_unknown"]) == unknown
    # the undetermined sample leaves the general procedural requirement unknown
    assert "general_collective_decision" in data["left_unknown"]


def test_a_bad_case_file_is_reported_and_the_rest_still_counted(tmp_path):
    shutil.copy(JIAOZUO / "waived_flood_emergency.yaml", tmp_path / "good.yaml")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "bad.yaml").write_text("case_id: X\ntitle: 坏\nsubject: {kind: individual}\nfacts: {privat_gain: true}\n", encoding="utf-8")
    result, data = coverage_json(tmp_path)
    assert result.exit_code == 1
    assert len(data["cases"]) == 1
    assert data["errors"][0]["line"] == 4 and data["errors"][0]["code"] == "unknown-key"
    assert "未知的字段 `privat_gain`" in result.stderr


def test_table_names_rules_never_fired(tmp_path):
    shutil.copy(JIAOZUO / "waived_flood_emergency.yaml", tmp_path / "one.yaml")
    result = run("coverage", str(tmp_path), "--ruleset", "jiaozuo")
    assert result.exit_code == 0
    out = result.output
    assert "规则覆盖：jiaozuo，1 个案件" in out
    assert "从未成立：" in out and "- item_6_self_raised_target  区域、行业发展决策中自加压力" in out
    assert "outcome_waived_force_majeure" in out


def test_a_ruleset_path_works_like_an_id(tmp_path):
    _, by_id = coverage_json(JIAOZUO)
    _, by_path = coverage_json(JIAOZUO, str(ROOT / "rulesets" / "jiaozuo.yaml"))
    assert by_path["rules"] == by_id["rules"]


def test_missing_folder_is_a_clean_error(tmp_path):
    result = run("coverage", str(tmp_path / "nope"), "--ruleset", "jiaozuo")
    assert result.exit_code == 2  # a wrong path on the command line is a usage error
    assert "案件目录不存在" in result.output


def test_coverage_table_fits_80_columns():
    from rich.cells import cell_len
    from typer.testing import CliRunner

    from rongcuo_cli.cli import app

    result = CliRunner().invoke(app, ["coverage", str(SAMPLES / "jiaozuo"), "-r", "jiaozuo"], env={"COLUMNS": "80", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    assert "给出结果" in result.output
    assert all(cell_len(line) <= 80 for line in result.output.splitlines())
