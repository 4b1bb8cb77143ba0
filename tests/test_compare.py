"""`rongcuo compare`: one case, several rulesets, and the facts they disagree on."""

from __future__ import annotations

import json

import pytest

from rongcuo_cli.load.case_file import load_case
from rongcuo_cli.engine.comparison import compare, disagreements, fact_roles
from rongcuo_cli.engine.assess import assess
from rongcuo_cli.load.ruleset_loader import load_ruleset, shipped_ids
from rongcuo_cli.load.vocabulary import load_vocabulary

from .conftest import SAMPLES
from .test_cli import run

GUO = SAMPLES / "zhejiang" / "real_zhuji_guo.yaml"
COMPENSATION = SAMPLES / "liwan" / "real_compensation_area.yaml"


def _ruling(path, ruleset):
    return assess(load_case(path), load_ruleset(ruleset), load_vocabulary())


def test_fact_roles_for_an_exclusion_a_match_and_a_missing_fact():
    roles = fact_roles(_ruling(SAMPLES / "chuzhou" / "not_tolerated_private_gain.yaml", "chuzhou"))
    assert roles["private_gain"] == "against"  # an exclusion held and a requirement failed on it
    roles = fact_roles(_ruling(COMPENSATION, "liwan"))
    assert roles["diligent"] == "for"  # the matched 三宽容 situation read it
    assert roles["political_discipline_violation"] == "missing"
    assert roles["body"] == "unused"  # read by a matched situation, but unknown in the case


def test_disagreements_list_only_facts_whose_roles_differ():
    vocab = load_vocabulary()
    # zhejiang inherits the political-discipline exclusion from national now, so jiaozuo is the contrast
    liwan, jiaozuo = _ruling(COMPENSATION, "liwan"), _ruling(COMPENSATION, "jiaozuo")
    found = {d.fact: d.roles for d in disagreements([liwan, jiaozuo], vocab)}
    assert found["political_discipline_violation"] == {"liwan": "missing", "jiaozuo": "unused"}
    assert found["diligent"] == {"liwan": "for", "jiaozuo": "unused"}
    # jiaozuo's own text bars a breach of a mandatory rule; liwan's (and the national baseline) does not
    assert found["violates_prohibition"] == {"liwan": "unused", "jiaozuo": "missing"}
    # both rulesets miss the same exclusion facts: no disagreement there
    assert "knowingly_violated" not in found
    assert disagreements([liwan, liwan], vocab) == []


def test_compare_keeps_the_given_order_of_rulesets():
    rulesets = [load_ruleset(name) for name in ("liwan", "hunan", "zhejiang")]
    comparison = compare(load_case(GUO), rulesets, load_vocabulary())
    assert [r.ruleset for r in comparison.rulings] == ["liwan", "hunan", "zhejiang"]
    assert comparison.short_titles == {"liwan": "荔湾", "hunan": "湖南", "zhejiang": "浙江"}


def test_cli_table_has_a_row_per_ruleset_and_the_disagreements():
    result = run("compare", str(GUO), "--rulesets", "zhejiang,hunan")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "各规则集的认定" in out and "规则集意见分歧的事实" in out
    assert "浙江" in out and "湖南" in out
    assert "待定" in out and "不予容错" in out
    assert "在急难险重岗位上" in out  # zhejiang's matched situation, by title
    assert "6 项：" in out and "private_gain" in out  # the six exclusion facts the seed is silent on


def test_cli_json_is_the_list_of_rulings_in_order():
    result = run("compare", str(GUO), "--rulesets", "zhejiang,national", "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert [d["ruleset"] for d in data] == ["zhejiang", "national"]
    assert data[0] == json.loads(run("assess", str(GUO), "--ruleset", "zhejiang", "--json", "--no-analysis").output)


def test_cli_defaults_to_every_shipped_ruleset():
    data = json.loads(run("compare", str(GUO), "--json").output)
    assert [d["ruleset"] for d in data] == shipped_ids()


def test_cli_unknown_ruleset_is_a_usage_error():
    result = run("compare", str(GUO), "--rulesets", "zhejiang,zhejaing")
    assert result.exit_code == 2
    assert "未知的规则集 `zhejaing`" in result.output


def test_cli_empty_ruleset_list_is_a_usage_error():
    result = run("compare", str(GUO), "--rulesets", " , ")
    assert result.exit_code == 2
    assert "没有给出任何规则集" in result.output


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*/*.yaml")), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_compare_works_on_every_sample(path):
    result = run("compare", str(path), "--json")
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.output)) == len(shipped_ids())


def test_the_outcome_entry_that_would_decide_counts_for_an_undetermined_ruling():
    ruling = _ruling(SAMPLES / "zhejiang" / "real_yiwu_wang.yaml", "zhejiang")
    assert ruling.outcome == "undetermined"
    assert fact_roles(ruling)["target_missed"] == "for"
    # not under a ruleset whose outcome was settled by an exclusion
    excluded = _ruling(SAMPLES / "zhejiang" / "not_tolerated_private_gain.yaml", "zhejiang")
    assert fact_roles(excluded)["private_gain"] == "against"
    assert "for" not in set(fact_roles(excluded).values())
