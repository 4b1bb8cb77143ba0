"""The analysis is bounded: counted in rule evaluations and explored states, never in wall time.

A case that states nothing is the worst case of the analysis: every fact is
missing, every what-if branch and every decisive change needs an exploration.
The plain search explored about 190,000 tree nodes on jiaozuo for it, each
re-evaluating rules; the engine explores each distinct state once per ruleset.
"""

from __future__ import annotations

from collections import Counter

import pytest

from rongcuo_cli.engine import assess as engine
from rongcuo_cli.engine import explore
from rongcuo_cli.engine.advice import advise
from rongcuo_cli.engine.residual import Residuals
from rongcuo_cli.engine.rule_code import compile_rules
from rongcuo_cli.load.case_file import case_from_data, load_case
from rongcuo_cli.load.ruleset_loader import load_ruleset, shipped_ids
from rongcuo_cli.load.vocabulary import load_vocabulary
from rongcuo_cli.model.identity_cache import IdentityCache
from rongcuo_cli.model.rule_graph import RuleGraph

from .conftest import SAMPLES

VOCAB = load_vocabulary()
EMPTY = {"case_id": "E-1", "title": "空案件", "subject": {"kind": "individual"}}
# Rules evaluated (compiled or as residuals), answers substituted, states explored and moved:
# the empty case needs about 4,200 of them on the largest shipped ruleset (jiaozuo).
WORK_LIMIT = 10_000
STATES_LIMIT = 2_500


@pytest.fixture
def work(monkeypatch) -> Counter:
    """Counts, by kind, the units of work of the engine from here on; nothing remembered from before."""
    counts: Counter = Counter()

    def counting(cls, name, units):
        original = getattr(cls, name)

        def counted(self, *args, **kwargs):
            counts[name] += units(self, *args)
            return original(self, *args, **kwargs)

        monkeypatch.setattr(cls, name, counted)

    counting(RuleGraph, "evaluate", lambda graph, env: len(graph.steps))

    def counting_compile(order, *args):
        evaluate = compile_rules(order, *args)

        def counted(env):
            counts["evaluate"] += len(order)
            return evaluate(env)

        return counted

    monkeypatch.setattr(engine, "compile_rules", counting_compile)  # the engine's whole-ruleset evaluation
    monkeypatch.setattr(engine, "_plan", IdentityCache(engine._Plan, 64))
    counting(RuleGraph, "reevaluate", lambda graph, env, results, rule_ids: len(rule_ids))
    counting(Residuals, "_partial", lambda *_: 1)
    counting(Residuals, "_answer", lambda *_: 1)
    counting(explore.Explorer, "_split", lambda *_: 1)
    counting(explore.Explorer, "answer", lambda *_: 1)
    monkeypatch.setattr(explore, "_EXPLORERS", {})
    return counts


@pytest.mark.parametrize("name", shipped_ids())
def test_an_empty_case_is_analysed_within_a_bounded_number_of_evaluations(name, work):
    ruleset = load_ruleset(name)
    ruling = advise(case_from_data(dict(EMPTY)), ruleset, VOCAB, analyse=True)
    assert ruling.outcome == "undetermined" and ruling.what_if is not None and ruling.what_if.branches
    assert work["_split"] <= STATES_LIMIT
    assert sum(work.values()) <= WORK_LIMIT, dict(work)


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*/*.yaml")), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_sample_is_analysed_within_the_same_bound(path, work):
    advise(load_case(path), load_ruleset(path.parent.name), VOCAB, analyse=True)
    assert sum(work.values()) <= WORK_LIMIT, dict(work)


def test_the_counts_see_the_work(work):
    """The bound is not vacuous: an analysis that explores is counted."""
    advise(case_from_data(dict(EMPTY)), load_ruleset("national"), VOCAB, analyse=True)
    assert work["_split"] > 100 and work["answer"] > work["_split"] and work["evaluate"] > 0
