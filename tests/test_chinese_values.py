"""Chinese values in case files: 是/否/不清楚 for facts, vocabulary labels and aliases for loss, context and body.

A case written in Chinese must assess exactly like its English twin: every
sample is rewritten here with Chinese values and its ruling compared byte for
byte, through the round-trip loader and the batch's libyaml fast path alike.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

import rongcuo_cli
from rongcuo_cli.batch.record import load_case_fast
from rongcuo_cli.cli import app
from rongcuo_cli.load import yaml_source
from rongcuo_cli.load.case_file import load_case
from rongcuo_cli.load.vocabulary import load_vocabulary

from .conftest import ROOT

SAMPLES = sorted((ROOT / "samples").glob("*/*.yaml"))
WORDS = {True: "是", False: "否"}


def chinese_twin(path: Path) -> str:
    """The sample with every fact, loss level, context tag and body kind written as its Chinese label."""
    vocab = load_vocabulary()
    yaml = YAML()
    data = yaml.load(path.read_text(encoding="utf-8"))
    for name, value in data.get("facts", {}).items():
        if isinstance(value, bool):
            data["facts"][name] = WORDS[value]
    if data.get("loss") is not None:
        data["loss"] = vocab.loss.levels[data["loss"]]
    if data.get("context") is not None:
        data["context"] = [vocab.context.tags[tag] for tag in data["context"]]
    if data["subject"].get("body") is not None:
        data["subject"]["body"] = vocab.body.values[data["subject"]["body"]]
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def test_every_sample_is_rewritten_with_chinese_values():
    """The twin really differs: otherwise the comparison below proves nothing."""
    changed = [p for p in SAMPLES if chinese_twin(p) != p.read_text(encoding="utf-8")]
    assert len(SAMPLES) > 50 and len(changed) == len(SAMPLES)
    assert "private_gain: 否" in chinese_twin(ROOT / "samples/jiaozuo/waived_flood_emergency.yaml")


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_chinese_twin_assesses_byte_identically(tmp_path, sample):
    twin = tmp_path / sample.name
    twin.write_text(chinese_twin(sample), encoding="utf-8")
    ruleset = rongcuo_cli.load_ruleset(sample.parent.name)
    assert load_case(twin) == load_case(sample)
    assert load_case_fast(twin) == load_case(twin)  # the batch's libyaml path maps the same way
    assert rongcuo_cli.assess(twin, ruleset).as_json() == rongcuo_cli.assess(sample, ruleset).as_json()


@pytest.mark.parametrize("sample", ["jiaozuo/undetermined_historical_issue.yaml", "liwan/real_economic_cooperative.yaml"])
def test_chinese_twin_gives_the_same_json_on_the_command_line(tmp_path, sample):
    """With the decisive-fact and what-if analysis the command line adds."""
    original = ROOT / "samples" / sample
    twin = tmp_path / original.name
    twin.write_text(chinese_twin(original), encoding="utf-8")
    runner = CliRunner()
    ruleset = original.parent.name
    english = runner.invoke(app, ["assess", str(original), "-r", ruleset, "--json"])
    chinese = runner.invoke(app, ["assess", str(twin), "-r", ruleset, "--json"])
    assert english.exit_code == chinese.exit_code == 0
    assert chinese.stdout == english.stdout


def _case(**fields: object) -> str:
    text = "case_id: T-1\ntitle: 测试\nsubject:\n  kind: unit\n"
    return text + "".join(f"{key}: {value}\n" for key, value in fields.items())


@pytest.mark.parametrize(("written", "field", "value"), [
    ("loss: 较小", "loss", "minor"),
    ("loss: 重特大", "loss", "severe"),
    ("loss: 无", "loss", "none"),
    ("context: [急难险重任务, 历史遗留问题]", "context", ["urgent_difficult_task", "historical_issue"]),
    ("context: [脱贫攻坚]", "context", ["poverty_alleviation"]),  # an alias: one part of the label
    ("context: [emergency_response, 急难险重]", "context", ["emergency_response", "urgent_difficult_task"]),
])
def test_chinese_labels_and_aliases_map_to_the_english_ids(tmp_path, written, field, value):
    path = tmp_path / "case.yaml"
    path.write_text(_case() + written + "\n", encoding="utf-8")
    assert getattr(load_case(path), field) == value


@pytest.mark.parametrize(("body", "kind"), [("乡镇", "township"), ("乡", "township"), ("经济联社", "economic_cooperative"), ("街道", "street")])
def test_body_written_in_chinese(tmp_path, body, kind):
    path = tmp_path / "case.yaml"
    path.write_text(_case().replace("kind: unit\n", f"kind: unit\n  body: {body}\n"), encoding="utf-8")
    assert load_case(path).subject.body == kind


def test_facts_in_chinese(tmp_path):
    path = tmp_path / "case.yaml"
    path.write_text(_case() + "facts:\n  private_gain: 否\n  collective_decision: 是\n  force_majeure: 不清楚\n", encoding="utf-8")
    case = load_case(path)
    assert case.fact_values == {"private_gain": False, "collective_decision": True}  # 不清楚 = unknown, not listed


@pytest.mark.parametrize(("written", "hint"), [
    ("loss: 较少", "是否想写 `较小`（minor）？"),
    ("loss: minr", "是否想写 `较小`（minor）？"),
    ("context: [急难险重的任务]", "是否想写 `急难险重任务`（urgent_difficult_task）？"),
    ("context: [emergncy_response]", "是否想写 `处置突发事件`（emergency_response）？"),
])
def test_unknown_labels_get_a_did_you_mean_in_chinese_and_english(tmp_path, written, hint):
    path = tmp_path / "case.yaml"
    path.write_text(_case() + written + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert f"{path}:5:" in result.output and "不在允许范围内" in result.output and f"提示：{hint}" in result.output
    assert "Traceback" not in result.output


def test_a_label_with_nothing_close_says_how_choices_are_written(tmp_path):
    path = tmp_path / "case.yaml"
    path.write_text(_case().replace("kind: unit\n", "kind: unit\n  body: 宇宙飞船\n"), encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 1 and "township（乡镇）" in result.output and "可写英文编号、中文名称或其简称" in result.output


def test_set_accepts_chinese_values_like_the_case_file():
    sample = str(ROOT / "samples/jiaozuo/reduced_industrial_project.yaml")
    english = rongcuo_cli.assess(sample, "jiaozuo", overrides={"loss": "moderate", "private_gain": None})
    result = CliRunner().invoke(app, ["assess", sample, "-r", "jiaozuo", "--no-analysis", "--json", "--set", "loss=较大", "--set", "private_gain=不清楚"])
    assert result.exit_code == 0, result.output
    assert '"outcome": "%s"' % english.outcome in result.stdout and '"now": "moderate"' in result.stdout


def test_ambiguous_spellings_in_the_vocabulary_are_refused():
    """An alias naming two choices would let one case mean two things: the vocabulary model refuses it."""
    from pydantic import ValidationError

    from rongcuo_cli.model.vocabulary import Vocabulary

    data = load_vocabulary().model_dump()
    data["context"]["aliases"]["innovation"] = ["改革试点"]  # already reform_pilot's
    with pytest.raises(ValidationError, match="改革试点"):
        Vocabulary.model_validate(data)


def test_the_round_trip_loader_sees_the_same_data_as_written(tmp_path):
    """yaml_source keeps Chinese text as text (no YAML 1.1 booleans sneak in)."""
    path = tmp_path / "case.yaml"
    path.write_text(_case() + "facts:\n  private_gain: 否\n", encoding="utf-8")
    assert yaml_source.load(path).data["facts"]["private_gain"] == "否"
