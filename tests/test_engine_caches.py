"""Rulings from an engine that has assessed many cases equal those of a fresh one.

The engine keeps, per ruleset, decisions by the rule results (and, where
those leave the outcome open, by the values the undetermined rules read),
trail entries, presumptions, questions and measures. A case must get the same
ruling whatever was assessed before it: here each case of a random stream is
assessed by a warm engine and by one whose caches are new, under every
shipped ruleset: the shipped samples with a few facts changed or left out.
"""

from __future__ import annotations

import random

import pytest
import yaml

from rongcuo_cli import assess, load_case
from rongcuo_cli.engine import assess as engine
from rongcuo_cli.engine import explore
from rongcuo_cli.load.case_file import case_from_data
from rongcuo_cli.load.ruleset_loader import load_ruleset, shipped_ids
from rongcuo_cli.load.vocabulary import load_vocabulary
from rongcuo_cli.model.identity_cache import IdentityCache

from .conftest import ROOT

VOCAB = load_vocabulary()
FACTS = list(VOCAB.facts)


def variant(rng: random.Random, base: dict, index: int) -> dict:
    """``base`` with a few facts changed or left out: cases that share most rule results but not all values."""
    facts = dict(base.get("facts") or {})
    for name in rng.sample(FACTS, rng.randint(1, 4)):
        if rng.random() < 0.3:
            facts.pop(name, None)
        else:
            facts[name] = not facts.get(name, False)
    return {**base, "case_id": f"CACHE-{index}", "facts": facts}


def variants(rng: random.Random, count: int) -> list:
    """``count`` cases, each a variant of a shipped sample."""
    return [case_from_data(variant(rng, rng.choice(SAMPLE_DATA), index)) for index in range(count)]


SAMPLE_DATA = [yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted((ROOT / "samples").rglob("*.yaml"))]


@pytest.mark.parametrize("ruleset_id", shipped_ids())
def test_a_warm_engine_rules_as_a_fresh_one(ruleset_id, monkeypatch):
    ruleset = load_ruleset(ruleset_id)
    rng = random.Random(ruleset_id)
    cases = variants(rng, 600)
    warm = [assess(case, ruleset).as_json() for case in cases]
    assert any('"outcome": "undetermined"' in text for text in warm)  # the open decisions are exercised

    for case, text in zip(cases[::4], warm[::4]):
        monkeypatch.setattr(engine, "_plan", IdentityCache(engine._Plan, 64))  # a new engine: nothing remembered
        assert assess(case, ruleset).as_json() == text, case.case_id


@pytest.mark.parametrize("ruleset_id", shipped_ids())
def test_the_generated_rules_give_what_the_closures_give(ruleset_id):
    """``engine.rule_code`` against ``RuleGraph``'s closures, rule by rule, on the same stream of cases."""
    ruleset = load_ruleset(ruleset_id)
    rng = random.Random(ruleset_id)
    for case in variants(rng, 300):
        env = engine.environment(case, VOCAB)
        assert engine.evaluate(ruleset, env) == ruleset.graph.evaluate(env)


def test_an_identity_cache_never_gives_the_value_of_another_object():
    """Keys come and go (and new ones take the addresses of old ones): a value is only ever its own key's."""
    cache = IdentityCache(lambda key: key[0], 4)
    for n in range(2000):
        key = [n]
        assert cache(key) == n
        assert cache.many([key, [n + 1], key]) == [n, n + 1, n]


def test_a_decision_left_open_is_worked_out_again_under_another_exploration_budget(monkeypatch):
    """Whether the search stays within its budget is part of a ruling (``approximate``): a kept decision must not outlive it."""
    ruleset = load_ruleset("jiaozuo")
    case = load_case(ROOT / "samples" / "jiaozuo" / "undetermined_historical_issue.yaml")
    exact = assess(case, ruleset).as_dict()
    monkeypatch.setattr(explore, "EXPLORATION_BUDGET", 2)
    small = assess(case, ruleset).as_dict()
    assert exact["outcome"] == "undetermined" and small["approximate"] and not exact["approximate"]
    monkeypatch.setattr(engine, "_plan", IdentityCache(engine._Plan, 64))
    assert assess(case, ruleset).as_dict() == small


def test_an_identity_cache_builds_a_key_listed_twice_once():
    built: list[int] = []
    cache = IdentityCache(lambda key: built.append(key[0]) or object(), 8)
    key = [1]
    first, second = cache.many([key, key])
    assert first is second and built == [1]


def test_every_kept_decision_of_a_ruleset_counts_against_one_limit(monkeypatch):
    """Open decisions are kept per value too; all of them together stay under the limit, and rulings are unchanged."""
    monkeypatch.setattr(engine, "_DECISIONS_LIMIT", 8)
    ruleset = load_ruleset("jiaozuo")
    rng = random.Random(8)
    cases = variants(rng, 200)
    rulings = [assess(case, ruleset).as_json() for case in cases]
    plan = engine._plan(ruleset)
    kept = sum(len(found.decisions) if isinstance(found, engine._Open) else 1 for found in plan.decisions.values())
    assert kept <= plan.decisions_kept <= 8
    monkeypatch.setattr(engine, "_plan", IdentityCache(engine._Plan, 64))
    assert [assess(case, ruleset).as_json() for case in cases] == rulings
