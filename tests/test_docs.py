"""docs/writing-rulesets.md cannot drift: every example in it is loaded and run.

Each fenced ``yaml`` block says what it is in its info string — ``ruleset``,
``rule``, ``condition``, ``test`` or ``case`` — and files are written under the
name given by ``file=``. Every ``rongcuo`` line of a ``bash`` block is then run
in that folder and must succeed.
"""

from __future__ import annotations

import re
import shlex

import pytest
from pydantic import TypeAdapter
from typer.testing import CliRunner

from rongcuo_cli.load import yaml_source
from rongcuo_cli.load.case_file import case_model
from rongcuo_cli.cli import app
from rongcuo_cli.model.condition import CONTEXT_PREFIX, Condition, compile_condition, variables
from rongcuo_cli.model.ruleset import OutcomeRule, Rule
from rongcuo_cli.authoring.lint import lint_one
from rongcuo_cli.authoring.ruleset_tests import run_test_file
from rongcuo_cli.authoring.source_texts import locate
from rongcuo_cli.model.tristate import Tri
from rongcuo_cli.load.vocabulary import load_vocabulary

from .conftest import ROOT, SHARED

DOC = ROOT / "docs" / "writing-rulesets.md"
FENCE = re.compile(r"^```(\w*)([^\n]*)\n(.*?)^```", re.S | re.M)
KINDS = {"ruleset", "rule", "condition", "test", "case"}


def _blocks(language: str):
    for match in FENCE.finditer(DOC.read_text(encoding="utf-8")):
        if match.group(1) == language:
            words = match.group(2).split()
            options = dict(w.split("=", 1) for w in words if "=" in w)
            kind = next((w for w in words if "=" not in w), "")
            line = DOC.read_text(encoding="utf-8")[: match.start()].count("\n") + 1
            yield line, kind, options, match.group(3)


YAML_BLOCKS = list(_blocks("yaml"))


@pytest.fixture
def written(tmp_path, monkeypatch):
    """Every yaml block with a file name, written out; the folder is the working directory."""
    for _, _, options, text in YAML_BLOCKS:
        if "file" in options:
            target = tmp_path / options["file"]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_every_yaml_block_says_what_it_is():
    assert YAML_BLOCKS, "the document has no yaml examples"
    assert [(line, kind) for line, kind, _, _ in YAML_BLOCKS if kind not in KINDS] == []
    kinds = {kind for _, kind, _, _ in YAML_BLOCKS}
    assert kinds == KINDS


@pytest.mark.parametrize("line,options", [(line, options) for line, kind, options, _ in YAML_BLOCKS if kind == "ruleset"])
def test_ruleset_examples_pass_strict_check(written, line, options):
    report = lint_one(options["file"], load_vocabulary(), locate(SHARED / "seeds" if (SHARED / "seeds").is_dir() else None))
    problems = [f.diagnostic.plain() for f in report.findings if f.diagnostic.code != "quotes-unchecked"]
    assert problems == [], f"docs line {line}"


@pytest.mark.parametrize("line,text", [(line, text) for line, kind, _, text in YAML_BLOCKS if kind == "rule"])
def test_rule_examples_are_valid_rules(line, text):
    data = yaml_source.parse(text, f"docs:{line}").data
    (OutcomeRule if "outcome" in data else Rule).model_validate(data)


@pytest.mark.parametrize("line,text", [(line, text) for line, kind, _, text in YAML_BLOCKS if kind == "case"])
def test_case_examples_are_valid_cases(line, text):
    case_model().model_validate(yaml_source.parse(text, f"docs:{line}").data)


def _environment(example: dict, vocab) -> dict:
    env = dict(example.get("facts", {}))
    for key in ("loss", "body"):
        if key in example:
            env[key] = example[key]
    if "context" in example:
        env.update({CONTEXT_PREFIX + tag: tag in example["context"] for tag in vocab.context.tags})
    return env


@pytest.mark.parametrize("line,text", [(line, text) for line, kind, _, text in YAML_BLOCKS if kind == "condition"])
def test_condition_examples_give_the_results_shown(line, text):
    vocab = load_vocabulary()
    data = yaml_source.parse(text, f"docs:{line}").data
    condition = TypeAdapter(Condition).validate_python(data["when"])
    known = set(vocab.facts) | {"loss", "body"} | {CONTEXT_PREFIX + tag for tag in vocab.context.tags}
    assert set(variables(condition)) <= known
    evaluate = compile_condition(condition, lambda ref: pytest.fail(f"docs line {line}: rule refs need a ruleset"))
    assert data["examples"], f"docs line {line}: a condition example needs examples"
    for example in data["examples"]:
        assert evaluate(_environment(example, vocab)) is Tri(str(example["result"]).lower()), f"docs line {line}: {example}"


@pytest.mark.parametrize("line,options", [(line, options) for line, kind, options, _ in YAML_BLOCKS if kind == "test"])
def test_ruleset_test_examples_pass(written, line, options):
    report = run_test_file(written / options["file"], load_vocabulary())
    assert [r.name for r in report.failed] == [], f"docs line {line}"
    assert report.results


COMMANDS = [
    (line, command.split("  #")[0].strip())
    for line, _, _, text in _blocks("bash")
    for command in text.splitlines()
    if command.startswith("rongcuo ")
]


@pytest.mark.parametrize("line,command", COMMANDS)
def test_commands_in_the_docs_succeed(written, line, command):
    if "--strict" in command and not (SHARED / "seeds").is_dir():
        pytest.skip("quotes cannot be checked without ../shared/seeds")
    result = CliRunner().invoke(app, shlex.split(command)[1:], env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert result.exit_code == 0, f"docs line {line}: {command}\n{result.output}"
