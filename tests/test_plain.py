"""``fresh_copier``: equal data, nothing mutable shared, at any depth and shape."""

from __future__ import annotations

import json

from hypothesis import given, strategies as st

from rongcuo_cli.model.plain import fresh_copier

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=3))
json_data = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=3), inner, max_size=4)), max_leaves=30)


def _containers(value, found):
    if isinstance(value, (dict, list)):
        found.append(value)
        for item in value.values() if isinstance(value, dict) else value:
            _containers(item, found)
    return found


@given(json_data)
def test_copy_equals_and_shares_no_container(value):
    copy = fresh_copier(value)
    first, second = copy(), copy()
    assert json.dumps(first) == json.dumps(value) == json.dumps(second)
    originals = {id(c) for c in _containers(value, [])}
    firsts = {id(c) for c in _containers(first, [])}
    seconds = {id(c) for c in _containers(second, [])}
    assert not originals & firsts and not originals & seconds and not firsts & seconds
