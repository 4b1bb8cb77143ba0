"""``rongcuo schema``: the exported JSON Schemas accept every shipped file and catch typos.

The schemas are checked with the ``jsonschema`` package, a validator
independent of the Pydantic models they were generated from.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from rongcuo_cli.load import yaml_source
from rongcuo_cli.cli import app
from rongcuo_cli.load.vocabulary import load_vocabulary

from .conftest import ROOT, SAMPLES

CJK = re.compile(r"[\u4e00-\u9fff]")
RULESETS = sorted(p for p in (ROOT / "rulesets").glob("*.yaml") if not p.name.startswith("_"))
RULESET_TESTS = sorted((ROOT / "rulesets" / "tests").glob("*.yaml"))
CASES = sorted(SAMPLES.rglob("*.yaml"))


def exported(kind: str) -> dict:
    result = CliRunner().invoke(app, ["schema", kind])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.fixture(scope="module")
def validators() -> dict[str, Draft202012Validator]:
    found = {}
    for kind in ("case", "ruleset", "test"):
        schema = exported(kind)
        Draft202012Validator.check_schema(schema)
        found[kind] = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    return found


def as_json(value):
    """YAML data as an editor's YAML plugin hands it to the schema (dates are text)."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def errors(validator, data) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message[:120]}" for e in validator.iter_errors(as_json(data))]


def load(path):
    return yaml_source.load(path).data


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_every_sample_case_is_valid(validators, path):
    assert errors(validators["case"], load(path)) == []


@pytest.mark.parametrize("path", RULESETS, ids=lambda p: p.name)
def test_every_shipped_ruleset_is_valid(validators, path):
    assert errors(validators["ruleset"], load(path)) == []


@pytest.mark.parametrize("path", RULESET_TESTS, ids=lambda p: p.name)
def test_every_shipped_ruleset_test_file_is_valid(validators, path):
    assert errors(validators["test"], load(path)) == []


def test_case_schema_catches_typos(validators):
    case = load(SAMPLES / "jiaozuo" / "waived_flood_emergency.yaml")
    assert errors(validators["case"], {**case, "facts": {"privat_gain": False}})
    assert errors(validators["case"], {**case, "facts": {"private_gain": "yes"}})
    assert errors(validators["case"], {**case, "loss": "huge"})
    assert errors(validators["case"], {**case, "context": ["reform"]})
    assert errors(validators["case"], {**case, "dates": {"occurred": "2023-13-45"}})
    assert errors(validators["case"], {**case, "colour": "red"})
    assert errors(validators["case"], {k: v for k, v in case.items() if k != "case_id"})


def test_ruleset_schema_checks_conditions(validators):
    ruleset = load(ROOT / "rulesets" / "jiaozuo.yaml")

    def with_condition(when):
        rule = {**ruleset["exclusions"][0], "when": when}
        return {**ruleset, "exclusions": [rule]}

    assert errors(validators["ruleset"], with_condition({"all": ["repeated", {"not": {"loss": ["major"]}}]})) == []
    assert errors(validators["ruleset"], with_condition({"rule": "exclusion_4_repeated"})) == []
    assert errors(validators["ruleset"], with_condition("privat_gain"))           # not a fact
    assert errors(validators["ruleset"], with_condition({"all": ["repeated"], "any": ["repeated"]}))  # two keys
    assert errors(validators["ruleset"], with_condition({"loss": ["huge"]}))
    assert errors(validators["ruleset"], with_condition({"context": ["reform"]}))
    assert errors(validators["ruleset"], with_condition({"all": []}))
    assert errors(validators["ruleset"], {**ruleset, "outcomes": [{**ruleset["outcomes"][0], "outcome": "pardoned"}]})
    clause_as_number = {**ruleset["exclusions"][0], "cites": {**ruleset["exclusions"][0]["cites"], "clause": 3}}
    assert errors(validators["ruleset"], {**ruleset, "exclusions": [clause_as_number]}) == []


def _properties(schema):
    """Every (path, property schema) in a schema, through $defs."""
    for name, definition in [("", schema)] + list(schema.get("$defs", {}).items()):
        for key, prop in definition.get("properties", {}).items():
            yield f"{name}.{key}", prop


@pytest.mark.parametrize("kind", ["case", "ruleset", "test", "ruling"])
def test_every_field_and_model_has_a_chinese_description(kind):
    schema = exported(kind)
    missing = [path for path, prop in _properties(schema) if not CJK.search(prop.get("description", ""))]
    missing += [name for name, definition in schema.get("$defs", {}).items() if not CJK.search(definition.get("description", ""))]
    assert missing == []
    assert CJK.search(schema["title"]) and CJK.search(schema["description"])


def test_every_fact_is_described_in_both_schemas():
    vocab = load_vocabulary()
    case_facts = exported("case")["$defs"]["Facts"]["properties"]
    assert list(case_facts) == list(vocab.facts)
    assert all(vocab.facts[name].label in prop["description"] for name, prop in case_facts.items())
    choices = {c["const"]: c["description"] for c in exported("ruleset")["$defs"]["Fact"]["anyOf"]}
    assert list(choices) == list(vocab.facts)
    assert all(vocab.facts[name].label in text for name, text in choices.items())


def _choices(node) -> dict[str, str]:
    found = {}
    for child in [node] + node.get("anyOf", []):
        for choice in child.get("anyOf", []) + child.get("items", {}).get("anyOf", []):
            if "const" in choice:
                found[choice["const"]] = choice["description"]
    return found


def test_tags_loss_levels_and_bodies_carry_labels():
    vocab = load_vocabulary()
    case = exported("case")
    # A case file may write each choice as its id (described by its label), its label or an alias.
    for name, node in (("context", case["properties"]["context"]), ("loss", case["properties"]["loss"]), ("body", case["$defs"]["Subject"]["properties"]["body"])):
        choices, labels = _choices(node), vocab.choice_labels(name)
        assert set(choices) == set(vocab.spellings(name))
        assert {k: v for k, v in choices.items() if k in labels} == labels
        assert choices[labels[next(iter(labels))]] == f"{next(iter(labels.values()))}（即 {next(iter(labels))}）"
    assert choices["乡镇"] == "乡镇（即 township）" and choices["乡"] == "乡镇（即 township）"
    conditions = exported("ruleset")["$defs"]
    assert _choices(conditions["ContextAny"]["properties"]["context"]) == vocab.context.tags
    assert _choices(conditions["LossIn"]["properties"]["loss"]) == vocab.loss.levels


def test_output_is_deterministic_and_can_be_written(tmp_path):
    target = tmp_path / "ruleset.schema.json"
    first = CliRunner().invoke(app, ["schema", "ruleset"]).output
    assert CliRunner().invoke(app, ["schema", "ruleset"]).output == first
    result = CliRunner().invoke(app, ["schema", "ruleset", "-o", str(target)])
    assert result.exit_code == 0
    assert target.read_text(encoding="utf-8") == first


def test_unknown_kind_is_a_usage_error():
    result = CliRunner().invoke(app, ["schema", "rules"])
    assert result.exit_code == 2


def test_schema_command_offers_every_schema_there_is():
    from rongcuo_cli.cli.schema_cmd import SCHEMA_KINDS
    from rongcuo_cli.authoring.schema import SCHEMAS

    assert SCHEMA_KINDS == tuple(SCHEMAS)


GOLDEN_RULINGS = sorted((ROOT / "tests" / "golden").rglob("*.json"))


def test_ruling_schema_describes_range_and_presumed():
    schema = exported("ruling")
    Draft202012Validator.check_schema(schema)
    properties = schema["properties"]
    assert {"outcome", "outcome_range", "presumed", "matched", "exclusions", "missing_facts", "trail"} <= set(properties)
    assert "从宽到严" in properties["outcome_range"]["description"]
    presumed = schema["$defs"]["Presumed"]["properties"]
    assert {"outcome", "outcome_range", "assumptions"} <= set(presumed)


@pytest.mark.parametrize("path", GOLDEN_RULINGS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_ruling_snapshot_is_valid_under_the_ruling_schema(path):
    validator = Draft202012Validator(exported_ruling_schema())
    assert [e.message[:120] for e in validator.iter_errors(json.loads(path.read_text(encoding="utf-8")))] == []


_RULING_SCHEMA: dict = {}


def exported_ruling_schema() -> dict:
    if not _RULING_SCHEMA:
        _RULING_SCHEMA.update(exported("ruling"))
    return _RULING_SCHEMA
