"""The Kleene truth tables, pinned."""

import pytest

from rongcuo_cli.model.tristate import Tri, all_of, any_of

T, F, U = Tri.TRUE, Tri.FALSE, Tri.UNKNOWN

AND = {
    (T, T): T, (T, F): F, (T, U): U,
    (F, T): F, (F, F): F, (F, U): F,
    (U, T): U, (U, F): F, (U, U): U,
}
OR = {
    (T, T): T, (T, F): T, (T, U): T,
    (F, T): T, (F, F): F, (F, U): U,
    (U, T): T, (U, F): U, (U, U): U,
}


@pytest.mark.parametrize("pair,expected", AND.items())
def test_and(pair, expected):
    assert all_of(pair) is expected


@pytest.mark.parametrize("pair,expected", OR.items())
def test_or(pair, expected):
    assert any_of(pair) is expected


@pytest.mark.parametrize("value,expected", [(T, F), (F, T), (U, U)])
def test_not(value, expected):
    assert value.negate() is expected


def test_empty_conjunction_and_disjunction():
    assert all_of([]) is T
    assert any_of([]) is F


def test_unknown_is_never_false():
    assert Tri.of(None) is U
    assert all_of([U, T]) is not F
