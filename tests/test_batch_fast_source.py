"""The libyaml fast path yields exactly the round-trip loader's data, or defers to it."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from rongcuo_cli.load import fast_source

from rongcuo_cli.load import yaml_source
from rongcuo_cli.model.diagnostics import UserError

from .conftest import SAMPLES

# Plain scalars whose meaning differs between YAML 1.1 (libyaml's resolver) and 1.2, or is easy to get wrong.
TRICKY = [
    "yes", "No", "on", "OFF", "y", "n", "true", "True", "TRUE", "tRUE", "false", "null", "Null", "NULL", "nULL", "~", "",
    "0", "-0", "+1", "017", "0o17", "0x1F", "0b101", "1_000", "1e3", "1.5", ".5", ".inf", "-.Inf", ".NaN", "12:30",
    "1:20:30", "2023-03-01", "2023-3-1", "2023-02-30", "2001-12-14t21:59:43.10-05:00", "2023-03-01 10:00:00", "=", "<<",
    "免除", "经集体研究", "private_gain", "JZ-2020-032", "50%", "a#b", "x: y",
]


KINDS = (bool, int, float, str, dt.datetime, dt.date, list, dict, type(None))


def _kind(value: Any) -> type:
    # The round-trip loader may keep a key as ruamel's int subclass: the same value to Pydantic.
    return next(kind for kind in KINDS if isinstance(value, kind))


def same(a: Any, b: Any) -> bool:
    """Equal values of equal kinds, all the way down (True is not 1, a date is not text)."""
    if _kind(a) is not _kind(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(k1, k2) and same(a[k1], b[k2]) for k1, k2 in zip(a, b))
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def check(text: str) -> str:
    """Assert the contract for one text; say which path answered."""
    try:
        fast = fast_source.parse(text)
    except fast_source.Defer:
        return "deferred"
    try:
        slow = yaml_source.parse(text, "x.yaml").data
    except UserError as exc:  # pragma: no cover - a failure message, not a branch
        pytest.fail(f"fast path accepted what the round-trip loader rejects: {text!r}: {exc}")
    assert same(fast, slow), (text, fast, slow)
    return "fast"


@pytest.mark.parametrize("token", TRICKY)
def test_tricky_plain_scalars_mean_what_yaml_1_2_says(token):
    for text in (f"key: {token}\n", f"- {token}\n", f"{token}: 1\n" if token else "a: 1\n", f"k: [{token}]\n"):
        check(text)


def test_yaml_1_1_booleans_and_octals_never_leak_through():
    assert fast_source.parse("a: yes\nb: on\nc: y\n") == {"a": "yes", "b": "on", "c": "y"}
    with pytest.raises(fast_source.Defer):
        fast_source.parse("a: 017\n")  # octal in 1.1, 17 in 1.2: only the round-trip loader decides


@pytest.mark.parametrize("text", [
    "a: 1\na: 2\n",  # duplicate key: the round-trip loader reports it with its position
    "a: &x [1]\nb: *x\n",  # aliases (and alias bombs) are the round-trip loader's business
    "a: !!str 1\n",
    "base: &b {x: 1}\nc:\n  <<: *b\n",
    "%YAML 1.1\n---\na: yes\n",
    "a: [" * 300 + "]" * 300,
    "a: b: c\n",
    "---\na: 1\n---\nb: 2\n",
    "1: a\n",  # keys that are not text
    "a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 20)) + "  " * 20 + "v: 1\n",
    "a: '" + "x" * 70_000 + "'\n",
])
def test_doubtful_files_defer(text):
    with pytest.raises(fast_source.Defer):
        fast_source.parse(text)


def test_files_past_the_round_trip_loaders_node_limit_defer_to_it():
    text = "k: [" + "a," * 25_000 + "a]\n"  # 50 KB: under the fast path's size limit, over the node limit
    with pytest.raises(fast_source.Defer):
        fast_source.parse(text)
    with pytest.raises(UserError) as refused:
        yaml_source.parse(text, "x.yaml")
    assert refused.value.diagnostics[0].code == "too-many-nodes"


def test_every_sample_case_takes_the_fast_path_with_the_same_data():
    for path in sorted((SAMPLES / "jiaozuo").glob("*.yaml")):
        assert same(fast_source.read(path), yaml_source.load(path).data), path


scalars = st.one_of(
    st.sampled_from(TRICKY),
    st.text(alphabet=st.sampled_from(list("abc xyz:#-'\"\\{}[],&*!|>%@`?的案件免除。，\t\n0123456789.+_")), max_size=12),
    st.integers(min_value=-10**6, max_value=10**6),
    st.booleans(),
    st.none(),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
)
keys = st.one_of(st.sampled_from(["case_id", "title", "facts", "private_gain", "yes", "on", "1", "true"]), st.text(alphabet="abcz_免", min_size=1, max_size=6))
documents = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)), max_leaves=12)


def _dump(data: Any, flow: bool) -> str:
    yaml = YAML(typ="rt")
    yaml.default_flow_style = flow
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue()


@settings(max_examples=300, deadline=None)
@given(documents, st.booleans())
def test_fast_path_equals_round_trip_on_generated_documents(data, flow):
    check(_dump(data, flow))


# Lines as people write them: keys at odd indents or as list items, with tricky or quoted values.
hand_written = st.lists(
    st.tuples(st.sampled_from(["a", "b", "  c", "- d", "-", "e"]), st.sampled_from(TRICKY + ["'q'", '"w"', "|", ">-", "[1, on]", "{x: no}"])),
    max_size=6,
).map(lambda lines: "".join(f"{key}: {value}\n" for key, value in lines))


@settings(max_examples=300, deadline=None)
@given(hand_written)
def test_fast_path_equals_round_trip_on_hand_written_lines(text):
    check(text)


def test_read_takes_one_sized_read_and_defers_anything_unusual(tmp_path):
    import os
    import threading

    sample = sorted((SAMPLES / "jiaozuo").glob("*.yaml"))[0]
    text = sample.read_text(encoding="utf-8")
    (tmp_path / "bom.yaml").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert same(fast_source.read(tmp_path / "bom.yaml"), yaml_source.load(sample).data)
    (tmp_path / "utf16.yaml").write_bytes(text.encode("utf-16"))
    (tmp_path / "gbk.yaml").write_bytes(text.encode("gb18030"))
    (tmp_path / "big.yaml").write_text(text + "#" * fast_source.MAX_FAST_BYTES, encoding="utf-8")
    (tmp_path / "folder.yaml").mkdir()
    os.mkfifo(tmp_path / "pipe.yaml")
    for name in ("utf16.yaml", "gbk.yaml", "big.yaml", "folder.yaml", "missing.yaml"):
        with pytest.raises(fast_source.Defer):
            fast_source.read(tmp_path / name)
    outcome: list[str] = []

    def read_pipe() -> None:
        try:
            fast_source.read(tmp_path / "pipe.yaml")
        except fast_source.Defer:
            outcome.append("deferred")

    reader = threading.Thread(target=read_pipe, daemon=True)
    reader.start()
    reader.join(timeout=10)
    assert outcome == ["deferred"]  # a FIFO is not waited on


def test_deferred_files_still_load_through_the_round_trip_loader(tmp_path):
    from rongcuo_cli.batch.record import load_case_fast
    from rongcuo_cli.load.case_file import load_case

    sample = sorted((SAMPLES / "jiaozuo").glob("*.yaml"))[0]
    path = tmp_path / "gbk.yaml"
    path.write_bytes(sample.read_text(encoding="utf-8").encode("gb18030"))
    assert load_case_fast(path) == load_case(sample)
    with pytest.raises(UserError) as missing:
        load_case_fast(tmp_path / "missing.yaml")
    assert missing.value.diagnostics[0].code == "not-found"
