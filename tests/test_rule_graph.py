"""Rules that read rules (issue: attack 2): each rule evaluated once per case, every analysis bounded.

The attack: rule s_i reads s_{i-1} twice (``any: [{rule: s}, {all: [{rule: s}, policy_change]}]``),
so naive evaluation costs 2^n. Evaluations are counted, not timed; the command-line
checks only guard with a generous subprocess timeout.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from rongcuo_cli.engine.advice import advise
from rongcuo_cli.load.case_file import load_case
from rongcuo_cli.model.diagnostics import UserError
from rongcuo_cli.engine.assess import environment, evaluate
from rongcuo_cli.authoring.lint import lint_one
from rongcuo_cli.load.ruleset_loader import load_ruleset
from rongcuo_cli.authoring.source_texts import SourceTexts
from rongcuo_cli.load.vocabulary import load_vocabulary

from .conftest import ROOT, SAMPLES

CASE = SAMPLES / "jiaozuo" / "waived_flood_emergency.yaml"
CITE = "    cites: {source: 002_5e8ed9ad8432f6e5.txt, clause: 条件, quote: 由于不可抗力、意外事件、国家政策调整等造成的失误错误。}\n"


def chain_ruleset(folder: Path, rules: int, *, reads_twice: bool = True, name: str = "chain.yaml") -> Path:
    """Situation s0 = force_majeure; s_i reads s_{i-1} (twice, or once)."""
    text = (
        "id: chain\ntitle: 链式规则集\nshort_title: 链\nregion: 无\nissuer: 无\nstatus: 测试\n"
        "source: [002_5e8ed9ad8432f6e5.txt]\ncoverage: 测试\nsituations:\n"
        "  - id: s0\n    title: s0\n    when: force_majeure\n" + CITE
    )
    for i in range(1, rules):
        when = f"{{any: [{{rule: s{i - 1}}}, {{all: [{{rule: s{i - 1}}}, policy_change]}}]}}" if reads_twice else f"{{rule: s{i - 1}}}"
        text += f"  - id: s{i}\n    title: s{i}\n    when: {when}\n" + CITE
    text += (
        "outcomes:\n  - id: outcome_lighter\n    outcome: lighter\n    title: 从轻\n"
        "    cites: {source: 002_5e8ed9ad8432f6e5.txt, clause: 决定, quote: 予以容错的，要从轻、减轻或免除责任追究。}\n"
    )
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


class CountingEnv(dict):
    """An environment that counts how often a variable is read."""

    reads = 0

    def get(self, key, default=None):
        if key == "policy_change":
            CountingEnv.reads += 1
        return super().get(key, default)


def test_each_rule_is_evaluated_once_per_case(tmp_path):
    ruleset = load_ruleset(str(chain_ruleset(tmp_path, 24)))
    env = CountingEnv(environment(load_case(CASE), load_vocabulary()))
    # Both unknown: no short cut can skip the second reference, every rule comes out unknown.
    env.pop("policy_change", None)
    env.pop("force_majeure", None)
    CountingEnv.reads = 0
    results = evaluate(ruleset, env)
    assert results["s23"].value == "unknown"
    assert CountingEnv.reads == 1  # the whole ruleset reads each variable once (engine.rule_code), not 2^23 times


def test_a_rule_evaluated_on_its_own_evaluates_what_it_names_once(tmp_path):
    ruleset = load_ruleset(str(chain_ruleset(tmp_path, 24)))
    env = CountingEnv({})
    CountingEnv.reads = 0
    last = next(r for r in ruleset.rules if r.rule.id == "s23")
    assert last.evaluate(env).value == "unknown"
    assert CountingEnv.reads == 23


def _rongcuo(*args: str, timeout: float = 20) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "rongcuo_cli", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.mark.parametrize("command", [
    ("assess", str(CASE), "-r", "{ruleset}"),
    ("validate", "-r", "{ruleset}"),
    ("rulesets", "check", "{ruleset}"),
    ("explain", str(CASE), "s23", "-r", "{ruleset}"),
])
def test_the_exponential_ruleset_answers_within_a_timeout(tmp_path, command):
    ruleset = str(chain_ruleset(tmp_path, 24))
    result = _rongcuo(*(part.format(ruleset=ruleset) for part in command))  # raises TimeoutExpired past 20 s
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


def test_a_200_rule_chain_assesses_with_all_analyses(tmp_path):
    ruleset = load_ruleset(str(chain_ruleset(tmp_path, 200)))
    ruling = advise(load_case(CASE), ruleset, load_vocabulary())
    assert ruling.outcome == "lighter" and "s199" in ruling.matched
    assert any(d.fact == "force_majeure" for d in ruling.decisive_facts or [])


def test_a_long_single_chain_does_not_reach_the_recursion_limit(tmp_path):
    ruleset = load_ruleset(str(chain_ruleset(tmp_path, 1000, reads_twice=False)))
    ruling = advise(load_case(CASE), ruleset, load_vocabulary())
    assert ruling.outcome == "lighter" and "s999" in ruling.matched


def test_lint_of_a_large_ruleset_is_bounded_and_says_so(tmp_path):
    report = lint_one(str(chain_ruleset(tmp_path, 200)), load_vocabulary(), SourceTexts(seeds=None, norms=None))
    codes = [f.diagnostic.code for f in report.findings]
    assert "lint-budget" in codes
    budget = next(f for f in report.findings if f.diagnostic.code == "lint-budget")
    assert budget.severity == "warning" and "预算" in budget.diagnostic.message


def test_a_cycle_of_rule_references_is_still_an_error(tmp_path):
    path = chain_ruleset(tmp_path, 3, reads_twice=False)
    path.write_text(path.read_text(encoding="utf-8").replace("when: force_majeure", "when: {rule: s2}"), encoding="utf-8")
    with pytest.raises(UserError) as caught:
        load_ruleset(str(path))
    (problem,) = caught.value.diagnostics
    assert problem.code == "rule-cycle" and "s0 → s2 → s1 → s0" in problem.message.replace("s2 → s1 → s0 → s2", "s0 → s2 → s1 → s0")


# Thirteen exclusions, each needing two facts: a case that states none of them has 2**13 ways
# to stay tolerable, more than the exploration budget. The ruling must say it was approximated.
PAIRED_FACTS = [
    "private_gain", "knowingly_violated", "public_interest", "unintentional", "actively_remedied", "cooperated",
    "diligent", "force_majeure", "unforeseeable", "policy_change", "lacked_conditions", "lacked_experience",
    "superior_encouraged", "collective_decision", "emergency", "reported_afterwards", "filed_with_superior",
    "major_reform_project", "risk_assessed", "special_measure", "special_measure_approved", "records_kept",
    "violates_prohibition", "defied_explicit_ban", "political_discipline_violation", "serious_integrity_violation",
]


def test_an_exploration_over_budget_is_reported_in_the_ruling(tmp_path):
    exclusions = "".join(
        f"  - id: ex{i}\n    title: 第{i}项\n    when: {{all: [{a}, {b}]}}\n    cites: {{source: 测, clause: '{i}', quote: 测, paraphrase: true}}\n"
        for i, (a, b) in enumerate(zip(PAIRED_FACTS[::2], PAIRED_FACTS[1::2]))
    )
    ruleset = tmp_path / "paired.yaml"
    ruleset.write_text(
        "id: paired\ntitle: 组合测试\nshort_title: 测\nregion: 测\nissuer: 测\nstatus: 测\nsource: [测]\ncoverage: 测\n"
        f"exclusions:\n{exclusions}"
        "outcomes:\n  - id: fallback\n    outcome: waived\n    title: 兜底\n    cites: {source: 测, clause: 一, quote: 测, paraphrase: true}\n",
        encoding="utf-8",
    )
    case = tmp_path / "case.yaml"
    case.write_text("case_id: B-1\ntitle: 什么都没写\nsubject: {kind: unit}\n", encoding="utf-8")
    ruling = advise(load_case(case), load_ruleset(str(ruleset)), load_vocabulary(), analyse=False)
    assert ruling.approximate is True
    assert ruling.outcome == "undetermined" and set(ruling.missing_facts) == set(PAIRED_FACTS)
    small = advise(load_case(SAMPLES / "jiaozuo" / "undetermined_historical_issue.yaml"), load_ruleset("jiaozuo"), load_vocabulary(), analyse=False)
    assert small.approximate is False
