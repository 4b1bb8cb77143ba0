"""The compiled closures, and the generated code of a whole ruleset, agree with Kleene logic on the condition tree.

Why: ``condition.py`` compiles conditions to hand-shaped closures for speed
(literals tested first, nested negations folded, one-child junctions
collapsed). This checks them against the plain definition, node by node,
with ``tristate.all_of/any_of``, on random trees and partial environments.
"""

from __future__ import annotations

from typing import Any
from unittest.mock import patch

from hypothesis import given, settings
from hypothesis import strategies as st

from rongcuo_cli.engine import rule_code
from rongcuo_cli.engine.rule_code import compile_rules
from rongcuo_cli.model.condition import (
    CONTEXT_PREFIX, AllOf, AnyOf, BodyIn, ContextAny, LossIn, Not, RuleRef, compile_condition, variables,
)
from rongcuo_cli.model.tristate import Tri, all_of, any_of

FACTS = ["a", "b", "c"]
LOSSES = ["none", "minor", "major"]
BODIES = ["street", "department"]
TAGS = ["reform_pilot", "innovation", "emergency_response"]
# A referenced rule: its own condition, evaluated through ``resolve``.
REFERENCED = AnyOf(any=["a", Not(not_="c")])

leaves = st.one_of(
    st.sampled_from(FACTS),
    st.lists(st.sampled_from(LOSSES), min_size=1, max_size=2).map(lambda v: LossIn(loss=v)),
    st.lists(st.sampled_from(BODIES), min_size=1, max_size=2).map(lambda v: BodyIn(body=v)),
    st.lists(st.sampled_from(TAGS), min_size=1, max_size=3).map(lambda v: ContextAny(context=v)),
    st.just(RuleRef(rule="referenced")),
)
conditions = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=4).map(lambda v: AllOf(all=v)),
        st.lists(inner, min_size=1, max_size=4).map(lambda v: AnyOf(any=v)),
        inner.map(lambda v: Not(not_=v)),
    ),
    max_leaves=12,
)


@st.composite
def environments(draw: Any) -> dict[str, Any]:
    env: dict[str, Any] = {}
    for fact in FACTS:
        if draw(st.booleans()):
            env[fact] = draw(st.booleans())
    if draw(st.booleans()):
        env["loss"] = draw(st.sampled_from(LOSSES))
    if draw(st.booleans()):
        env["body"] = draw(st.sampled_from(BODIES))
    for tag in TAGS:  # the explorer may know some tags and not others
        if draw(st.booleans()):
            env[CONTEXT_PREFIX + tag] = draw(st.booleans())
    return env


def reference(cond: Any, env: dict[str, Any], when: dict[str, Any] | None = None) -> Tri:
    """The plain definition; a reference reads the rule of ``when`` it names (by default only ``referenced``),
    and a rule without a condition holds."""
    when = when or {"referenced": REFERENCED}
    if cond is None:
        return Tri.TRUE
    if isinstance(cond, str):
        return Tri.of(env.get(cond))
    if isinstance(cond, AllOf):
        return all_of([reference(c, env, when) for c in cond.all])
    if isinstance(cond, AnyOf):
        return any_of([reference(c, env, when) for c in cond.any])
    if isinstance(cond, Not):
        return reference(cond.not_, env, when).negate()
    if isinstance(cond, (LossIn, BodyIn)):
        key, allowed = ("loss", cond.loss) if isinstance(cond, LossIn) else ("body", cond.body)
        return Tri.UNKNOWN if key not in env else Tri.of(env[key] in allowed)
    if isinstance(cond, ContextAny):
        return any_of([Tri.of(env.get(CONTEXT_PREFIX + tag)) for tag in cond.context])
    assert isinstance(cond, RuleRef)
    return reference(when[cond.rule], env, when)


def resolve(rule_id: str):
    assert rule_id == "referenced"
    return compile_condition(REFERENCED, resolve)


@settings(max_examples=400, deadline=None)
@given(conditions, st.lists(environments(), min_size=1, max_size=5))
def test_compiled_condition_is_kleene_logic_on_the_tree(cond, envs):
    evaluate = compile_condition(cond, resolve)
    for env in envs:
        assert evaluate(env) is reference(cond, env)


def test_unknown_fact_in_a_conjunction_is_unknown_not_false():
    evaluate = compile_condition(AllOf(all=["a", Not(not_="b")]), resolve)
    assert evaluate({"a": True}) is Tri.UNKNOWN
    assert evaluate({"a": True, "b": True}) is Tri.FALSE
    assert evaluate({"b": False}) is Tri.UNKNOWN
    assert evaluate({"a": False}) is Tri.FALSE


# --- the whole ruleset as one generated function (engine.rule_code) ----------

def closures_of(order, when):
    """What ``RuleGraph.evaluate`` gives, by the reference: every rule of ``order`` on one environment."""
    return lambda env: {rule_id: reference(when[rule_id], env, when) for rule_id in order}


@settings(max_examples=400, deadline=None)
@given(st.lists(conditions, min_size=1, max_size=4), st.lists(environments(), min_size=1, max_size=5), st.booleans())
def test_generated_ruleset_code_is_kleene_logic_on_the_tree(conds, envs, generated):
    """Rules r0, r1 … (each may name ``referenced``) as one function: results and trail keys.

    Both ways: the generated code, and the closures a ruleset past ``MAX_SOURCE`` is evaluated by.
    """
    order = ["referenced", *(f"r{at}" for at in range(len(conds)))]
    when = {"referenced": REFERENCED, **{f"r{at}": cond for at, cond in enumerate(conds)}}
    trail = [(rule_id, variables(when[rule_id])) for rule_id in reversed(order)]
    with patch.object(rule_code, "MAX_SOURCE", rule_code.MAX_SOURCE if generated else 0):
        evaluate = compile_rules(order, when, trail, closures_of(order, when))
    for env in envs:
        results, keys = evaluate(env)
        assert list(results) == order
        for rule_id in order:
            assert results[rule_id] is reference(when[rule_id], env), rule_id
        assert keys == tuple((results[rule_id], *map(env.get, reads)) for rule_id, reads in trail)


def test_generated_code_holds_no_text_of_the_ruleset():
    """Names from a ruleset are bound as cells, never written into the source: a hostile name is only a name."""
    hostile = "x') or __import__('os').system('echo owned') or ('"
    when = {"r": AllOf(all=[hostile, Not(not_="b")])}
    evaluate = compile_rules(["r"], when, [("r", [hostile, "b"])], closures_of(["r"], when))
    assert evaluate({hostile: True, "b": False}) == ({"r": Tri.TRUE}, ((Tri.TRUE, True, False),))
    assert evaluate({}) == ({"r": Tri.UNKNOWN}, ((Tri.UNKNOWN, None, None),))


@settings(max_examples=300, deadline=None)
@given(st.data(), st.lists(environments(), min_size=1, max_size=4))
def test_generated_code_follows_chains_of_references_and_rules_without_a_condition(data, envs):
    """Each rule may have no condition, name an earlier rule, or hold a tree naming earlier rules."""
    when: dict[str, Any] = {"referenced": REFERENCED}
    for at in range(data.draw(st.integers(1, 6))):
        earlier = st.sampled_from(list(when)).map(lambda rule_id: RuleRef(rule=rule_id))
        when[f"r{at}"] = data.draw(st.one_of(
            st.none(), earlier, conditions,
            st.lists(st.one_of(earlier, conditions), min_size=1, max_size=3).map(lambda parts: AnyOf(any=parts)),
            st.tuples(earlier, conditions).map(lambda pair: AllOf(all=[pair[0], Not(not_=pair[1])])),
        ))
    order = list(when)
    trail = [(rule_id, variables(when[rule_id])) for rule_id in order]
    evaluate = compile_rules(order, when, trail, closures_of(order, when))
    for env in envs:
        results, _ = evaluate(env)
        assert results == {rule_id: reference(when[rule_id], env, when) for rule_id in order}
