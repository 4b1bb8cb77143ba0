"""yaml-rs reads the plain subset exactly as the round-trip loader does, or says "not plain"."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rongcuo_cli.load import fast_source, plain_yaml, yaml_source

from .conftest import SAMPLES
from .test_batch_fast_source import _dump, documents, hand_written, same


def check(text: str) -> str:
    try:
        fast = plain_yaml.parse(text)
    except plain_yaml.NotPlain:
        return "not plain"
    slow = yaml_source.parse(text, "x.yaml").data  # raises if yaml-rs accepted what the round-trip loader rejects
    assert same(fast, slow), (text, fast, slow)
    return "plain"


# Each of these was accepted by yaml-rs with another meaning than the round-trip loader's (or
# where the loader reports an error), found by differential fuzzing: the screen must turn them away.
PARTED = [
    "occurred: '2023-03-01'\n",  # yaml-rs makes a quoted date a date
    'occurred: "2023-03-01"\n',
    "a: |-\n  2023-03-01\n",  # stripped block scalar spelling a date
    "a: |\n  x",  # no final newline: yaml-rs keeps one
    "a: \x01\n", "a: b\u2028c\n", "a: \ufeffb\n", "a: b\x85c\n", "a:\tb\n", "a: b\r\nc: d\r\n",
    "a: [?0]\n", "subject: {k\nind: individual}\n", "subject: {kind: individual, :name: x}\n",
    "a: |\n\n", "a: >\n", "a: |\n \n  x\n", "a: |\n    \n  x\n",
    "? a\n: b\n", "---\na: 1\n---\nb: 2\n", "a: 1\n...\n", "%YAML 1.2\n---\na: 1\n",
    "a: &x b\nc: *x\n", "a: !!str b\n", "<<: {a: 1}\n",
    "a: 017\n", "a: 1_000\n", "a: .inf\n", "a: 0x1F\n", "a: ~\n", "true: 1\n", "null: x\n",
    "a: 2023-03-01 10:00:00\n", "a: 2023-03-01T10:00:00\n",
    # past the round-trip loader's limits (nesting depth, node count), which it refuses with a message
    "".join(" " * i + "k:\n" for i in range(70)) + " " * 70 + "v: x\n", "k: [" + "a," * 25_000 + "a]\n",
]


@pytest.mark.parametrize("text", PARTED)
def test_texts_where_the_parsers_part_ways_are_not_plain(text):
    with pytest.raises(plain_yaml.NotPlain):
        plain_yaml.parse(text)


def test_generated_and_sample_cases_are_read_by_yaml_rs_with_the_same_data():
    import random

    from bench.batch import make_case

    rng = random.Random(5)
    for index in range(50):
        assert check(make_case(index, rng)) == "plain"
    plain = [path for path in sorted(SAMPLES.glob("*/*.yaml")) if check(path.read_text(encoding="utf-8")) == "plain"]
    assert len(plain) > len(list(SAMPLES.glob("*/*.yaml"))) // 2  # the fast tier does the work, not the fallbacks


def test_without_yaml_rs_everything_takes_the_libyaml_path(monkeypatch):
    path = sorted((SAMPLES / "jiaozuo").glob("*.yaml"))[0]
    expected = yaml_source.load(path).data
    monkeypatch.setattr(plain_yaml, "yaml_rs", lambda: None)
    with pytest.raises(plain_yaml.NotPlain):
        plain_yaml.parse(path.read_text(encoding="utf-8"))
    assert same(fast_source.read(path), expected)


def test_duplicate_keys_are_left_to_the_loaders_that_report_them():
    with pytest.raises(plain_yaml.NotPlain):
        plain_yaml.parse("a: 1x\nb: c\na: d\n")


# Documents inside (and just outside) the plain subset: identifier keys, words that resolve to
# other types in YAML 1.1 or 1.2, dates, flow collections, block scalars, comments, odd indentation.
WORDS = ["a", "title", "true", "null", "NULL", "False", "nULL", "Yes", "on", "no", "键值", "免除", "JZ-2020-032",
         "2023-03-01", "2023-02-30", "a b", "某县 项目", "x-y", "a.b", "a/b", "a=b", "=", "a?b", "a-", "a~", "E", "（括号）", "“引号”", "ab "]
KEYS = ["a", "b", "title", "facts", "private_gain", "x_1", "_k", "yes", "on", "No", "y", "k9", "TRUE"]
BLOCK_LINES = WORDS + ["# 不是注释", "a: b", "- x", "'q'", "  more", "x #y", ""]


@st.composite
def plain_documents(draw) -> str:
    lines: list[str] = []

    def mapping(indent: int, depth: int) -> None:
        for _ in range(draw(st.integers(1, 4))):
            key, pad = draw(st.sampled_from(KEYS)), " " * indent
            shape = draw(st.sampled_from(["scalar", "empty", "seq", "map", "block", "nested", "list"] if depth < 3 else ["scalar"]))
            if shape == "scalar":
                lines.append(f"{pad}{key}: {draw(st.sampled_from(WORDS))}" + draw(st.sampled_from(["", "", " # c"])))
            elif shape == "empty":
                lines.append(f"{pad}{key}:")
            elif shape == "seq":
                lines.append(f"{pad}{key}: [{', '.join(draw(st.lists(st.sampled_from(WORDS), max_size=3)))}]")
            elif shape == "map":
                items = draw(st.lists(st.tuples(st.sampled_from(KEYS), st.sampled_from(WORDS)), max_size=3))
                lines.append(f"{pad}{key}: {{{', '.join(f'{k}: {v}' for k, v in items)}}}")
            elif shape == "block":
                lines.append(f"{pad}{key}: {draw(st.sampled_from(['|', '>']))}")
                for text in draw(st.lists(st.sampled_from(BLOCK_LINES), max_size=4)):
                    lines.append(" " * (indent + draw(st.sampled_from([1, 2, 2, 3, 4]))) + text if text else draw(st.sampled_from(["", " " * (indent + 3)])))
            elif shape == "nested":
                lines.append(f"{pad}{key}:")
                mapping(indent + draw(st.sampled_from([1, 2, 2, 4])), depth + 1)
            else:
                lines.append(f"{pad}{key}:")
                at = indent + draw(st.sampled_from([0, 1, 2, 2]))
                lines.extend(" " * at + "- " + item for item in draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=3)))
        if lines and draw(st.integers(0, 9)) == 0:  # a line out of step
            at = draw(st.integers(0, len(lines) - 1))
            lines[at] = draw(st.sampled_from([" ", "  ", ""])) + lines[at].lstrip(" ")

    mapping(0, 0)
    return "\n".join(lines) + draw(st.sampled_from(["\n", "\n\n", "\n# end\n"]))


@settings(max_examples=400, deadline=None)
@given(plain_documents())
def test_plain_documents_read_as_the_round_trip_loader_reads_them(text):
    check(text)


@settings(max_examples=200, deadline=None)
@given(documents, st.booleans())
def test_plain_path_equals_round_trip_on_generated_documents(data, flow):
    check(_dump(data, flow))


@settings(max_examples=200, deadline=None)
@given(hand_written)
def test_plain_path_equals_round_trip_on_hand_written_lines(text):
    check(text)


def test_odd_characters_are_exactly_those_outside_the_allowed_ranges():
    """The screen's odd characters, written as themselves, are the complement of the ranges every parser reads alike."""
    import re

    from rongcuo_cli.load.plain_yaml import _ODD_CHARACTER

    allowed = re.compile(r"[\n\x20-\x7e\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
    differ = [hex(c) for c in range(0x110000) if (_ODD_CHARACTER.match(chr(c)) is None) != (allowed.match(chr(c)) is not None)]
    assert differ == []
