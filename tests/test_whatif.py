"""What-if: --set overrides, decisive facts and the answers that settle an undetermined case."""

from __future__ import annotations

import json
from itertools import combinations, product

import pytest
from typer.testing import CliRunner

from rongcuo_cli.engine.advice import advise
from rongcuo_cli.load.case_file import load_case
from rongcuo_cli.cli import app
from rongcuo_cli.engine.assess import assess
from rongcuo_cli.load.ruleset_loader import load_ruleset
from rongcuo_cli.load.vocabulary import load_vocabulary
from rongcuo_cli.engine.whatif import apply_overrides

from .conftest import SAMPLES

runner = CliRunner()
REDUCED = SAMPLES / "jiaozuo" / "reduced_industrial_project.yaml"
UNDETERMINED = SAMPLES / "jiaozuo" / "undetermined_historical_issue.yaml"
SAMPLE_FILES = sorted((SAMPLES / "jiaozuo").glob("*.yaml"))


def run(*args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "120", "NO_COLOR": "1"})


def _outcome_with(case, changes: dict) -> tuple[str, list[str]]:
    vocab = load_vocabulary()
    changed, _ = apply_overrides(case, changes, vocab)
    ruling = assess(changed, load_ruleset("jiaozuo"), vocab)
    return ruling.outcome, ruling.possible_outcomes


def test_set_overrides_and_marks_the_assumed_fact():
    result = run("assess", str(REDUCED), "-r", "jiaozuo", "--set", "private_gain=true", "--detail")
    assert result.exit_code == 0
    assert "不予容错" in result.output and "假设推演（--set）" in result.output
    assert "为自己、他人或单位谋取私利=是（假设）" in result.output
    data = json.loads(run("assess", str(REDUCED), "-r", "jiaozuo", "--set", "private_gain=true", "--json").output)
    assert data["outcome"] == "not_tolerated"
    assert data["overrides"] == [{"fact": "private_gain", "label": "为自己、他人或单位谋取私利", "was": False, "now": True}]


def test_set_loss_context_and_unknown():
    data = json.loads(run("assess", str(UNDETERMINED), "-r", "jiaozuo", "--json",
                          "--set", "loss=major", "--set", "context=major_project,innovation").output)
    assert data["outcome"] == "not_tolerated"
    assert [o["now"] for o in data["overrides"]] == ["major", ["major_project", "innovation"]]
    unknown = json.loads(run("assess", str(REDUCED), "-r", "jiaozuo", "--json", "--set", "collective_decision=").output)
    assert unknown["outcome"] == "undetermined" and "collective_decision" in unknown["missing_facts"]
    assert json.loads(run("assess", str(REDUCED), "-r", "jiaozuo", "--json", "--set", "loss=unknown").output)["outcome"] == "undetermined"


@pytest.mark.parametrize("spec, message, hint", [
    ("colective_decision=true", "未知的事实 `colective_decision`", "collective_decision"),
    ("collective_decision=maybe", "`collective_decision` 的取值 `maybe` 不合法", "true 或 false"),
    ("loss=huge", "`loss` 的取值 `huge` 不合法", "允许：none"),
    ("context=major_projet", "`context` 的取值 `major_projet` 不合法", "major_project"),
    ("private_gain", "应写成 事实=取值", "--set"),
])
def test_bad_set_is_invalid_input(spec, message, hint):
    result = run("assess", str(REDUCED), "-r", "jiaozuo", "--set", spec)
    assert result.exit_code == 1
    assert message in result.output and hint in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.stem)
def test_decisive_facts_are_exactly_the_single_changes_that_change_the_outcome(path):
    case = load_case(path)
    vocab = load_vocabulary()
    ruling = advise(case, load_ruleset("jiaozuo"), vocab)
    listed = {(d.fact, json.dumps(d.alternative)): (d.outcome, d.possible_outcomes) for d in ruling.decisive_facts}
    base = (ruling.outcome, ruling.possible_outcomes)
    single_changes = [(name, not value) for name, value in case.fact_values.items()]
    if case.loss is not None:
        single_changes += [("loss", level) for level in vocab.loss_levels if level != case.loss]
    if case.context is not None:
        read = {v.split(":", 1)[1] for rule in load_ruleset("jiaozuo").rules for v in rule.reads_all if v.startswith("context:")}
        single_changes += [("context", [t for t in vocab.context.tags if (t in case.context) != (t == tag)]) for tag in sorted(read)]
    for name, alternative in single_changes:
        result = _outcome_with(case, {name: alternative})
        key = (name, json.dumps(alternative))
        if result != base:
            assert listed.get(key) == result, key
        else:
            assert key not in listed, key


def test_decisive_fact_text_reads_like_the_policy():
    ruling = advise(load_case(REDUCED), load_ruleset("jiaozuo"), load_vocabulary())
    texts = [d.text for d in ruling.decisive_facts]
    assert "若 private_gain 为 是 → 不予容错" in texts
    assert "若 actively_remedied 为 否 → 从轻" in texts


def test_what_if_branches_and_fewest_answers_are_exact():
    case = load_case(UNDETERMINED)
    ruling = advise(case, load_ruleset("jiaozuo"), load_vocabulary())
    what_if = ruling.what_if
    assert {b.fact for b in what_if.branches} == set(ruling.missing_facts)
    for branch in what_if.branches:
        assert _outcome_with(case, {branch.fact: branch.value}) == (branch.outcome, branch.possible_outcomes)
    unfavourable = {a.fact: a.value for a in what_if.settle_unfavourably.answers}
    assert unfavourable == {"loss": "major"} and _outcome_with(case, unfavourable)[0] == "not_tolerated"
    favourable = {a.fact: a.value for a in what_if.settle_favourably.answers}
    assert _outcome_with(case, favourable)[0] == what_if.settle_favourably.outcome == "waived"
    # No smaller set of answers settles the case as tolerated.
    domains = {n: ([True, False] if n != "loss" else load_vocabulary().loss_levels) for n in ruling.missing_facts}
    for size in range(1, len(favourable)):
        for names in combinations(ruling.missing_facts, size):
            for values in product(*(domains[n] for n in names)):
                assert _outcome_with(case, dict(zip(names, values)))[0] not in ("waived", "reduced", "lighter")


def test_undetermined_screen_shows_what_if_and_decisive_facts():
    result = run("assess", str(UNDETERMINED), "-r", "jiaozuo", "--detail")
    assert "假设推演：缺失事实的每种答案" in result.output
    assert "若 loss 为 重大 → 不予容错" in result.output
    assert "最少查明即可认定不予容错" in result.output and "查明 loss 为 重大 → 不予容错" in result.output
    assert "决定性事实" in result.output


def test_analysis_can_be_skipped():
    ruling = advise(load_case(UNDETERMINED), load_ruleset("jiaozuo"), load_vocabulary(), analyse=False)
    assert ruling.decisive_facts is None and ruling.what_if is None
    data = json.loads(run("assess", str(UNDETERMINED), "-r", "jiaozuo", "--json", "--no-analysis").output)
    assert data["decisive_facts"] is None and data["outcome"] == "undetermined"
