"""Property-based fuzzing of case files (and rulesets) with Hypothesis.

Valid cases are generated from the vocabulary; corrupted ones are valid files
truncated, byte-flipped, re-encoded or spliced. Whatever comes in, the only
exception allowed out is UserError, every valid case gets a ruling, filling the
listed missing facts settles it, and the same input gives the same JSON.
Run longer with HYPOTHESIS_PROFILE=long.
"""

from __future__ import annotations

import io
import itertools
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from typer.testing import CliRunner

from rongcuo_cli.load import yaml_source
from rongcuo_cli.load.case_file import load_case
from rongcuo_cli.cli import app
from rongcuo_cli.cli.exit_codes import ExitCode
from rongcuo_cli.cli.output import to_json
from rongcuo_cli.model.diagnostics import UserError
from rongcuo_cli.engine.assess import assess
from rongcuo_cli.load.ruleset_loader import load_ruleset, shipped_ids
from rongcuo_cli.model.ruleset import OUTCOME_ORDER
from rongcuo_cli.load.vocabulary import load_vocabulary

from .conftest import ROOT

VOCAB = load_vocabulary()
RULESETS = st.sampled_from(shipped_ids()).map(load_ruleset)
FACTS = list(VOCAB.facts)
TAGS = list(VOCAB.context.tags)
SOME_TEXT = st.text(alphabet=list("abcXYZ 0123-_:#'\"&*!|>%@`{}[],某乡镇紧急转移群众，。、（）：\t"), min_size=1, max_size=30).filter(lambda s: s.strip())
_names = itertools.count()


def fresh_path(folder: Path, suffix: str = ".yaml") -> Path:
    # A new name per example: the ruleset loader caches by path.
    return folder / f"f{next(_names)}{suffix}"


@st.composite
def case_data(draw: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "case_id": draw(SOME_TEXT),
        "title": draw(SOME_TEXT),
        "subject": {"kind": draw(st.sampled_from(["individual", "unit"]))},
    }
    if draw(st.booleans()):
        data["subject"]["body"] = draw(st.sampled_from(list(VOCAB.body.values)))
    if draw(st.booleans()):
        data["loss"] = draw(st.sampled_from(VOCAB.loss_levels))
    if draw(st.booleans()):
        data["context"] = draw(st.lists(st.sampled_from(TAGS), unique=True, max_size=4))
    # Sparse or dense facts, so both undetermined and settled cases come up.
    data["facts"] = draw(st.dictionaries(st.sampled_from(FACTS), st.booleans(), max_size=draw(st.sampled_from([3, 8, len(FACTS)]))))
    if draw(st.booleans()):
        data["summary"] = draw(SOME_TEXT)
    return data


def dump(data: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = YAML(typ="safe", pure=True)
    writer.allow_unicode = True
    writer.dump(data, out)
    return out.getvalue()


def ruling_for(folder: Path, data: dict[str, Any], ruleset):
    path = fresh_path(folder)
    path.write_text(dump(data), encoding="utf-8")
    return assess(load_case(path), ruleset, VOCAB)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


# A sparse case makes the engine explore many branches; these two run fewer examples.
ENGINE_HEAVY = settings(max_examples=max(10, settings.default.max_examples // 2))


@ENGINE_HEAVY
@given(data=case_data(), ruleset=RULESETS)
def test_every_valid_case_yields_a_ruling_and_the_same_json(folder, data, ruleset):
    ruling = ruling_for(folder, data, ruleset)
    assert ruling.outcome in (*OUTCOME_ORDER, "undetermined")
    if ruling.outcome == "undetermined":
        assert ruling.missing_facts and len(ruling.possible_outcomes) > 1
    else:
        assert ruling.missing_facts == [] and ruling.possible_outcomes == [ruling.outcome]
    assert to_json(ruling_for(folder, data, ruleset)) == to_json(ruling)


def fill(draw: Any, name: str) -> tuple[str, Any]:
    if name in VOCAB.facts:
        return "facts", draw(st.booleans())
    if name == "loss":
        return "", draw(st.sampled_from(VOCAB.loss_levels))
    if name == "body":
        return "subject", draw(st.sampled_from(list(VOCAB.body.values)))
    assert name == "context", name
    return "", draw(st.lists(st.sampled_from(TAGS), unique=True, max_size=4))


@ENGINE_HEAVY
@given(data=case_data(), ruleset=RULESETS, choices=st.data())
def test_filling_the_missing_facts_settles_the_ruling(folder, data, ruleset, choices):
    ruling = ruling_for(folder, data, ruleset)
    for _ in range(3):  # a random sample of the combinations
        filled = {**data, "facts": dict(data["facts"]), "subject": dict(data["subject"])}
        for name in ruling.missing_facts:
            where, value = fill(choices.draw, name)
            (filled[where] if where else filled)[name] = value
        settled = ruling_for(folder, filled, ruleset)
        assert settled.outcome != "undetermined", (ruling.missing_facts, settled.missing_facts)
        assert settled.outcome in ruling.possible_outcomes or ruling.outcome != "undetermined"


def corrupt(draw: Any, raw: bytes) -> bytes:
    how = draw(st.sampled_from(["truncate", "flip", "insert", "reencode", "splice"]))
    if how == "truncate":
        return raw[: draw(st.integers(0, len(raw)))]
    if how == "flip":
        mutated = bytearray(raw)
        for _ in range(draw(st.integers(1, 8))):
            mutated[draw(st.integers(0, len(raw) - 1))] = draw(st.integers(0, 255))
        return bytes(mutated)
    if how == "insert":
        at = draw(st.integers(0, len(raw)))
        return raw[:at] + draw(st.binary(min_size=1, max_size=16)) + raw[at:]
    if how == "reencode":
        codec = draw(st.sampled_from(["gb18030", "utf-16", "utf-16-le", "big5", "shift_jis", "latin-1", "cp1252", "utf-32"]))
        return raw.decode("utf-8").encode(codec, errors="replace")
    start, end = sorted(draw(st.lists(st.integers(0, len(raw)), min_size=2, max_size=2)))
    return raw[:start] + raw[start:end] * draw(st.integers(2, 4)) + raw[end:]


@given(data=case_data(), ruleset=RULESETS, choices=st.data())
def test_corrupted_case_files_give_a_ruling_or_a_user_error(folder, data, ruleset, choices):
    path = fresh_path(folder)
    path.write_bytes(corrupt(choices.draw, dump(data).encode("utf-8")))
    try:
        case = load_case(path)
    except UserError as exc:
        assert exc.diagnostics and all(d.file == str(path) and d.message for d in exc.diagnostics)
        assert all(d.line is None or d.line >= 1 for d in exc.diagnostics)
        return
    assert assess(case, ruleset, VOCAB).outcome in (*OUTCOME_ORDER, "undetermined")


@given(text=st.text(max_size=300))
def test_any_text_parses_or_is_a_user_error(text):
    try:
        yaml_source.parse(text, "fuzz.yaml")
    except UserError as exc:
        assert exc.diagnostics


@given(raw=st.binary(max_size=300))
def test_any_bytes_decode_or_are_a_user_error(raw):
    try:
        yaml_source.parse(yaml_source.decode(raw, "fuzz.yaml"), "fuzz.yaml")
    except UserError as exc:
        assert exc.diagnostics


JIAOZUO = (ROOT / "rulesets" / "jiaozuo.yaml").read_bytes()


@settings(max_examples=max(10, settings.default.max_examples // 4))
@given(choices=st.data())
def test_corrupted_rulesets_load_or_are_a_user_error(folder, choices):
    path = fresh_path(folder)
    path.write_bytes(corrupt(choices.draw, JIAOZUO))
    try:
        load_ruleset(str(path))
    except UserError as exc:
        assert exc.diagnostics


runner = CliRunner()


@settings(max_examples=max(10, settings.default.max_examples // 3))
@given(data=case_data(), choices=st.data())
def test_validate_command_never_shows_a_traceback(folder, data, choices):
    path = fresh_path(folder)
    path.write_bytes(corrupt(choices.draw, dump(data).encode("utf-8")))
    result = runner.invoke(app, ["validate", str(path)], env={"NO_COLOR": "1"})
    assert result.exit_code in (ExitCode.OK, ExitCode.INVALID_INPUT), result.output
    assert "Traceback" not in result.output and "内部错误" not in result.output
