"""The search behind "can never fire" is exact: it agrees with trying every case."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from rongcuo_cli.model.condition import Condition, compile_condition, variables
from rongcuo_cli.engine.satisfiability import find_case, holds
from rongcuo_cli.model.tristate import Tri

FACTS = ["private_gain", "repeated", "diligent"]
LEVELS = ["none", "minor", "moderate", "major", "severe"]


def domain(variable: str) -> list:
    return LEVELS if variable == "loss" else [True, False]


leaves = st.one_of(st.sampled_from(FACTS), st.builds(lambda ls: {"loss": sorted(ls)}, st.sets(st.sampled_from(LEVELS), min_size=1)))
conditions = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.builds(lambda c: {"not": c}, inner),
        st.builds(lambda cs: {"all": cs}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda cs: {"any": cs}, st.lists(inner, min_size=1, max_size=3)),
    ),
    max_leaves=6,
)


def _compiled(raw):
    cond = TypeAdapter(Condition).validate_python(raw)
    return compile_condition(cond, lambda ref: None), variables(cond)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(conditions, st.sampled_from([Tri.TRUE, Tri.FALSE])), min_size=1, max_size=3))
def test_search_agrees_with_brute_force(wanted):
    constraints = []
    for raw, want in wanted:
        evaluate, reads = _compiled(raw)
        constraints.append(holds(evaluate, reads, want))
    names = FACTS + ["loss"]
    exists = any(
        all(c.evaluate(dict(zip(names, values))) is c.want for c in constraints)
        for values in itertools.product(*(domain(n) for n in names))
    )
    found = find_case(constraints, domain)
    assert (found is not None) == exists
    if found is not None:  # the example really is one: decided as wanted with the rest left unknown
        assert all(c.evaluate(found) is c.want for c in constraints)
