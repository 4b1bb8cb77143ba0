"""The analysis agrees with the plain search it replaced, on random small rulesets and cases.

The engine explores unknown facts once per state (remembered per ruleset),
moves states by substituting answers into residuals, and finds the fewest
answers on bit sets. The reference here is the brute force it replaced: one
recursive exploration per question with its own budget, re-evaluating the
compiled rules at every node; one exploration per completion of the missing
facts; and every partial set of answers tried in order. The budget is drawn
small too, so that explorations both within and past it are compared (past
it, both must fall back to Kleene's over-approximation).
"""

from __future__ import annotations

import itertools
from contextlib import contextmanager
from functools import lru_cache
from itertools import combinations, product
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rongcuo_cli.engine import explore
from rongcuo_cli.engine.assess import (
    _kleene_missing, _pending_rules, environment, evaluate, possible_outcomes, reevaluate, settle_within_budget, variable_domain,
)
from rongcuo_cli.engine.advice import advise
from rongcuo_cli.engine.residual import Residuals
from rongcuo_cli.engine.versions import applicable, pick
from rongcuo_cli.engine.whatif import TOLERATED, _Probe, decisive_facts, what_if
from rongcuo_cli.load.case_file import case_from_data
from rongcuo_cli.load.ruleset_loader import load_ruleset
from rongcuo_cli.load.vocabulary import load_vocabulary
from rongcuo_cli.model.ruleset import OUTCOME_ORDER

from .conftest import ROOT

VOCAB = load_vocabulary()
FACTS = ["private_gain", "repeated", "diligent", "collective_decision", "cooperated"]
TAGS = list(VOCAB.context.tags)[:3]
LEVELS = list(VOCAB.loss.levels)
BODIES = list(VOCAB.body.values)[:3]
VERSIONS = ROOT / "tests" / "fixtures" / "versions" / "demo_2021.yaml"
SECTIONS = ("exclusions", "requirements", "situations", "outcomes")
_names = itertools.count()


# --- the reference: the search as it was, one question at a time ------------

def reference_settle(ruleset, env, results, budget):
    """(outcomes, missing variables, exact): one recursive exploration with its own budget."""
    found = possible_outcomes(ruleset, results)
    if len(found) == 1:
        return found, [], True
    left = [budget]

    def run(env, results):
        left[0] -= 1
        if left[0] < 0:
            return None
        found = possible_outcomes(ruleset, results)
        if len(found) == 1:
            return found, []
        variable = next((v for rule in _pending_rules(ruleset, results) for v in rule.reads_all if v not in env), None)
        if variable is None:
            return found, []
        outcomes, split = set(), {variable: None}
        for value in variable_domain(variable, VOCAB):
            branch_env = {**env, variable: value}
            branch = run(branch_env, reevaluate(ruleset, results, branch_env, (variable,)))
            if branch is None:
                return None
            outcomes |= branch[0]
            split.update(dict.fromkeys(branch[1]))
        return outcomes, list(split)

    explored = run(dict(env), results)
    if explored is None:
        return found, _kleene_missing(ruleset, results, env), False
    return explored[0], ([] if len(explored[0]) == 1 else explored[1]), True


def reference_outcome(probe: _Probe, assignment: dict, budget: int) -> tuple[str, tuple[str, ...]]:
    env, changed = probe._changed(assignment)
    outcomes = []
    for ruleset, results in zip(probe.chain, probe.results):
        found = reference_settle(ruleset, env, reevaluate(ruleset, results, env, changed), budget)[0]
        possible = tuple(o for o in OUTCOME_ORDER if o in found)
        outcomes.append((possible[0] if len(possible) == 1 else "undetermined", possible))
    return outcomes[pick([o[0] for o in outcomes])]


def reference_decisive(probe: _Probe, base, budget):
    found = []
    for name in VOCAB.public_names:
        value = probe.current(name)
        if value is None or name not in probe.read_public:
            continue
        for alternative in probe.alternatives(name, value):
            result = reference_outcome(probe, {name: alternative}, budget)
            if result != base:
                found.append((name, value, alternative, result[0], list(result[1])))
    return found


def reference_fewest(probe: _Probe, missing: list[str], budget: int):
    """Every partial set of answers, smallest first, on the table of every completion's outcome."""
    domains = [probe.domain(n) for n in missing]
    table = {picks: reference_outcome(probe, dict(zip(missing, (d[i] for d, i in zip(domains, picks)))), budget)[0]
             for picks in product(*(range(len(d)) for d in domains))}

    @lru_cache(maxsize=None)
    def allowed(partial):
        if -1 not in partial:
            return frozenset({table[partial]})
        at = partial.index(-1)
        return frozenset().union(*(allowed(partial[:at] + (i,) + partial[at + 1:]) for i in range(len(domains[at]))))

    favourable, unfavourable = None, None
    for size in range(1, len(missing) + 1):
        for chosen in combinations(range(len(missing)), size):
            for picks in product(*(range(len(domains[c])) for c in chosen)):
                partial = [-1] * len(missing)
                for c, i in zip(chosen, picks):
                    partial[c] = i
                outcomes = allowed(tuple(partial))
                if len(outcomes) != 1:
                    continue
                outcome = next(iter(outcomes))
                answers = [(missing[c], domains[c][i]) for c, i in zip(chosen, picks)]
                if outcome in TOLERATED:
                    rank = OUTCOME_ORDER.index(outcome)
                    if favourable is None or (len(favourable[1]) == size and rank < favourable[0]):
                        favourable = (rank, answers)
                if outcome == "not_tolerated" and unfavourable is None:
                    unfavourable = answers
        if favourable is not None and unfavourable is not None:
            break
    settlement = lambda answers: None if answers is None else (answers, reference_outcome(probe, dict(answers), budget)[0])  # noqa: E731
    return settlement(favourable and favourable[1]), settlement(unfavourable)


# --- random rulesets and cases -------------------------------------------------

def _conditions(rule_ids: list[str]):
    leaves = [
        st.sampled_from(FACTS),
        st.builds(lambda f: {"not": f}, st.sampled_from(FACTS)),
        st.builds(lambda ls: {"loss": sorted(ls, key=LEVELS.index)}, st.sets(st.sampled_from(LEVELS), min_size=1, max_size=3)),
        st.builds(lambda ts: {"context": sorted(ts, key=TAGS.index)}, st.sets(st.sampled_from(TAGS), min_size=1)),
        st.builds(lambda bs: {"body": sorted(bs, key=BODIES.index)}, st.sets(st.sampled_from(BODIES), min_size=1)),
    ]
    if rule_ids:
        leaves.append(st.builds(lambda r: {"rule": r}, st.sampled_from(rule_ids)))
    return st.recursive(
        st.one_of(leaves),
        lambda inner: st.one_of(
            st.builds(lambda c: {"not": c}, inner),
            st.builds(lambda cs: {"all": cs}, st.lists(inner, min_size=2, max_size=3)),
            st.builds(lambda cs: {"any": cs}, st.lists(inner, min_size=2, max_size=3)),
        ),
        max_leaves=4,
    )


def _flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return str(value)


@st.composite
def rulesets(draw) -> str:
    """A ruleset's YAML text: a few rules per section (each may name earlier ones), the last outcome unconditional."""
    counts = {"exclusions": draw(st.integers(0, 2)), "requirements": draw(st.integers(0, 2)),
              "situations": draw(st.integers(0, 3)), "outcomes": draw(st.integers(0, 3))}
    text = "id: random\ntitle: 随机\nshort_title: 随\nregion: 测\nissuer: 测\nstatus: 测\nsource: [测]\ncoverage: 测\n"
    earlier: list[str] = []
    for section in SECTIONS:
        if not counts[section] and section != "outcomes":
            continue
        text += f"{section}:\n"
        for index in range(counts[section]):
            rule_id = f"{section[0]}{index}"
            text += f"  - id: {rule_id}\n    title: 测\n    when: {_flow(draw(_conditions(earlier)))}\n"
            if section == "outcomes":
                text += f"    outcome: {draw(st.sampled_from(OUTCOME_ORDER))}\n"
            text += "    cites: {source: 测, clause: 一, quote: 测, paraphrase: true}\n"
            earlier.append(rule_id)
        if section == "outcomes":
            text += f"  - id: fallback\n    title: 兜底\n    outcome: {draw(st.sampled_from(OUTCOME_ORDER))}\n"
            text += "    cites: {source: 测, clause: 一, quote: 测, paraphrase: true}\n"
    return text


@st.composite
def cases(draw, facts: list[str] = FACTS) -> dict[str, Any]:
    data: dict[str, Any] = {"case_id": "R-1", "title": "随机", "subject": {"kind": "individual"}}
    known = {f: v for f in facts if (v := draw(st.sampled_from([True, False, None]))) is not None}
    if known:
        data["facts"] = known
    if draw(st.booleans()):
        data["loss"] = draw(st.sampled_from(LEVELS))
    if draw(st.booleans()):
        data["context"] = sorted(draw(st.sets(st.sampled_from(TAGS))), key=TAGS.index)
    if draw(st.booleans()):
        data["subject"]["body"] = draw(st.sampled_from(BODIES))
    return data


@contextmanager
def budget(nodes: int):
    """The exploration budget, for the engine (its memory is kept per budget) and the reference alike."""
    saved = explore.EXPLORATION_BUDGET
    explore.EXPLORATION_BUDGET = nodes
    try:
        yield nodes
    finally:
        explore.EXPLORATION_BUDGET = saved


def _load(folder: Path, text: str):
    path = folder / f"r{next(_names)}.yaml"  # a new name each time: rulesets are cached by path
    path.write_text(text, encoding="utf-8")
    return load_ruleset(str(path))


BUDGETS = st.sampled_from([2, 4, 6, 8, 12, 40, 4096])  # trees of binary splits have odd sizes: even budgets catch off-by-one


# --- the comparisons -------------------------------------------------------------

def _compare_analysis(case, ruleset, nodes: int) -> None:
    env = environment(case, VOCAB)
    ruling = advise(case, ruleset, VOCAB, analyse=True)
    chain, _ = applicable(case, ruleset)
    for version in chain:
        new = settle_within_budget(version, VOCAB, env, evaluate(version, env))
        old = reference_settle(version, env, evaluate(version, env), nodes)
        assert (new[0], set(new[1]), new[2]) == (set(old[0]), set(old[1]), old[2])
    probe = _Probe(chain, VOCAB, env)
    base = (ruling.outcome, tuple(ruling.possible_outcomes))
    got = [(d.fact, d.value, d.alternative, d.outcome, d.possible_outcomes) for d in decisive_facts(chain, VOCAB, env, base)]
    assert got == reference_decisive(probe, base, nodes)
    if ruling.outcome != "undetermined":
        return
    found = what_if(chain, VOCAB, env, ruling.missing_facts)
    branches = [(b.fact, b.value, b.outcome, b.possible_outcomes) for b in found.branches]
    assert branches == [(n, v, *(lambda r: (r[0], list(r[1])))(reference_outcome(probe, {n: v}, nodes)))
                        for n in ruling.missing_facts for v in probe.domain(n)]
    if found.searched:
        settled = [None if s is None else ([(a.fact, a.value) for a in s.answers], s.outcome)
                   for s in (found.settle_favourably, found.settle_unfavourably)]
        assert tuple(settled) == reference_fewest(probe, ruling.missing_facts, nodes)


@given(text=rulesets(), data=cases(), nodes=BUDGETS)
def test_analysis_agrees_with_the_plain_search(tmp_path_factory, text, data, nodes):
    ruleset = _load(tmp_path_factory.mktemp("rs"), text)
    with budget(nodes):
        _compare_analysis(case_from_data(data), ruleset, nodes)


@settings(max_examples=settings.default.max_examples // 2)
@given(data=cases(["private_gain", "repeated", "collective_decision", "actively_remedied", "public_interest", "force_majeure"]),
       occurred=st.sampled_from([None, "2018-03-01", "2022-03-01"]), nodes=BUDGETS)
def test_analysis_agrees_across_versions(data, occurred, nodes):
    if occurred:
        data["dates"] = {"occurred": occurred}
    with budget(nodes):
        _compare_analysis(case_from_data(data), load_ruleset(str(VERSIONS)), nodes)


@pytest.mark.parametrize("nodes", [40, 4096])
@pytest.mark.parametrize("name", ["jiaozuo", "national", "hunan"])
def test_shipped_rulesets_with_nothing_known_agree_with_the_plain_search(name, nodes):
    """Large trees: the empty case explores past small budgets; the table is skipped (too many completions)."""
    case = case_from_data({"case_id": "E-1", "title": "空", "subject": {"kind": "individual"}})
    ruleset = load_ruleset(name)
    env = environment(case, VOCAB)
    with budget(nodes):
        new = settle_within_budget(ruleset, VOCAB, env, evaluate(ruleset, env))
        old = reference_settle(ruleset, env, evaluate(ruleset, env), nodes)
    assert (new[0], set(new[1]), new[2]) == (set(old[0]), set(old[1]), old[2])


@settings(max_examples=settings.default.max_examples // 2)  # loading a ruleset is most of each example
@given(text=rulesets(), data=cases(), answers=st.lists(st.tuples(st.sampled_from(FACTS + ["loss"]), st.integers(0, 4)), max_size=4))
def test_residuals_answer_like_evaluating_again(tmp_path_factory, text, data, answers):
    """A residual is unknown exactly when the rule is, and answering a variable is evaluating with it known."""
    ruleset = _load(tmp_path_factory.mktemp("rs"), text)
    residuals = Residuals(ruleset)
    env = environment(case_from_data(data), VOCAB)
    now = residuals.every(env)
    for variable, pick_at in answers:
        if variable in env:
            continue
        domain = variable_domain(variable, VOCAB)
        env = {**env, variable: domain[pick_at % len(domain)]}
        now = {rule_id: residuals.given(r, variable, env[variable]) if variable in residuals.bit else r for rule_id, r in now.items()}
        assert now == residuals.every(env)
    results = evaluate(ruleset, env)
    for rule_id, residual in now.items():
        assert (residual if isinstance(residual, str) else "unknown") == results[rule_id].value


@pytest.mark.parametrize("nodes", range(8, 15))
def test_a_known_variable_no_rule_still_needs_still_shapes_the_tree(tmp_path, nodes):
    """private_gain=false leaves the exclusion asking only diligent, yet repeated, still unknown, is split first.

    After private_gain=true, repeated=false the exclusion asks the same, with
    repeated known: the two states differ only in which variables are known,
    and their trees differ in size (3 and 7 nodes; 13 in all).
    """
    text = (
        "id: shape\ntitle: 形\nshort_title: 形\nregion: 测\nissuer: 测\nstatus: 测\nsource: [测]\ncoverage: 测\n"
        "exclusions:\n  - id: e0\n    title: 测\n    when: {any: [{all: [private_gain, repeated]}, diligent]}\n"
        "    cites: {source: 测, clause: 一, quote: 测, paraphrase: true}\n"
        "outcomes:\n  - id: fallback\n    title: 兜底\n    outcome: waived\n    cites: {source: 测, clause: 一, quote: 测, paraphrase: true}\n"
    )
    ruleset = _load(tmp_path, text)
    with budget(nodes):
        new = settle_within_budget(ruleset, VOCAB, {}, evaluate(ruleset, {}))
        old = reference_settle(ruleset, {}, evaluate(ruleset, {}), nodes)
    assert (new[0], set(new[1]), new[2]) == (set(old[0]), set(old[1]), old[2])
    assert new[2] is (nodes >= 13)
