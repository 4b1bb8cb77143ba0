"""JSON Schema for the files people write (case files, rulesets, ruleset tests) and for the ruling JSON.

Why: an editor that knows the schema (``# yaml-language-server: $schema=...``)
completes keys and fact names and flags typos while the file is written. The
schemas come from the same Pydantic models that validate the files, then are
made friendlier for a Chinese reader: every model and choice gets a Chinese
description (facts, loss levels, context tags and body kinds from the shared
vocabulary), English titles are dropped, and a fact in a condition must be a
fact the vocabulary knows, as the loader requires.
"""

from __future__ import annotations

import json
from typing import Any, Callable

from pydantic import BaseModel

from rongcuo_cli.model.case import build_case_model
from rongcuo_cli.model.ruleset import Ruleset
from rongcuo_cli.authoring.ruleset_tests import RulesetTestFile
from rongcuo_cli.model.ruling import OUTCOME_MEANINGS, Ruling
from rongcuo_cli.model.vocabulary import CHOICE_FIELDS, FACT_WORDS, Vocabulary

DIALECT = "https://json-schema.org/draft/2020-12/schema"

# Chinese descriptions of the models; the classes' docstrings are for programmers.
MODEL_DESCRIPTIONS = {
    "Case": "一个容错纠错案件（案件文件，契约一）。未写出的事实视为未知，绝不视为否",
    "Dates": "相关日期（YYYY-MM-DD）",
    "Facts": "事实（是/否/不清楚，或 true/false）；未写出的事实视为未知，绝不视为否",
    "Subject": "被问责的个人或单位",
    "Ruleset": "一个地区的容错纠错规则集：元数据，以及依次评估的不予容错情形、一般条件、适用情形和处理结果映射",
    "Rule": "一条起决定作用的条款：编号、中文标题、成立条件和所依据的原文",
    "OutcomeRule": "处理结果映射中的一项：条件成立时给出该处理结果",
    "Citation": "引述：来源文件、条款编号和原文",
    "Guidance": "结果运用或程序中的一句话，附依据",
    "ProcedureStep": "容错纠错程序中的一步",
    "AllOf": "条件：所列各项全部成立",
    "AnyOf": "条件：所列各项至少一项成立",
    "Not": "条件：所写条件不成立",
    "LossIn": "条件：损失程度属于所列档次之一",
    "ContextAny": "条件：工作情境包含所列标签之一",
    "BodyIn": "条件：主体类型属于所列之一",
    "RuleRef": "条件：本规则集中另一条规则成立",
    "Fact": "条件：该事实为真（事实名须在 rulesets/_vocabulary.yaml 中定义）",
    "RulesetTestFile": "规则集测试文件：基础案件，以及每个测试的改动和预期认定结果",
    "RulesetTest": "一个测试：基础案件（可改动几项）和预期的认定结果",
    "Expectation": "预期的认定结果；未写出的项不核对",
    "Ruling": "一个案件在一个规则集下的认定结果（契约二）：建议的结果及其处理幅度、待定时的推定结论、审查过程",
    "TrailEntry": "审查过程中的一步：一条规则、所读事实、结论及所依据的条款",
    "Question": "一项缺失事实及须查明的问题",
    "Presumption": "一项推定：缺失的不予容错情形事实推定为不存在，须核实",
    "Presumed": "推定结论（待核实）：各项推定经核实属实时的认定结果",
    "DeadlineStatus": "程序期限的计算结果",
    "ProcedureStepStatus": "容错纠错程序中的一步，附本案期限的计算结果",
    "Override": "假设推演中替换的事实（--set）",
    "DecisiveFact": "决定性事实：单独改变即改变结果的已知事实",
    "Answer": "对一项缺失事实的回答",
    "Branch": "一项缺失事实取某值时的结果",
    "Settlement": "最少几项答案即可作出的认定",
    "WhatIf": "待定时各缺失事实的推演",
    "MeasureEffect": "处分的影响期",
    "MeasureAdvice": "处理措施建议",
    "VersionChoice": "规则集版本的选用",
    "Deadline": "程序期限",
    "Tri": "三值结论：true=是，false=否，unknown=未知",
}


def case_schema(vocab: Vocabulary) -> dict[str, Any]:
    return _finish(build_case_model(vocab), "容错纠错案件文件", vocab)


def ruleset_schema(vocab: Vocabulary) -> dict[str, Any]:
    schema = _finish(Ruleset, "容错纠错规则集", vocab)
    defs = schema["$defs"]
    defs["Fact"] = {"type": "string", "description": MODEL_DESCRIPTIONS["Fact"], "anyOf": _choices(_fact_labels(vocab))}
    for node in _union_members(schema):
        if node == {"type": "string"}:
            node.clear()
            node["$ref"] = "#/$defs/Fact"
    # A clause numbered 3 in YAML is read as the clause "3" (the model coerces it).
    clause = defs["Citation"]["properties"]["clause"]
    description = clause.pop("description")
    clause.clear()
    clause.update({"anyOf": [{"type": "string"}, {"type": "integer"}], "description": description})
    return schema


def test_file_schema(vocab: Vocabulary) -> dict[str, Any]:
    return _finish(RulesetTestFile, "规则集测试文件", vocab)


def ruling_schema(vocab: Vocabulary) -> dict[str, Any]:
    """The JSON that ``assess --json`` and batch records carry (contract 2), as it is written."""
    return _finish(Ruling, "容错纠错认定结果（JSON）", vocab, mode="serialization")


SCHEMAS: dict[str, Callable[[Vocabulary], dict[str, Any]]] = {
    "case": case_schema,
    "ruleset": ruleset_schema,
    "test": test_file_schema,
    "ruling": ruling_schema,
}


def schema_text(kind: str, vocab: Vocabulary) -> str:
    """The schema as JSON text, the same bytes every time."""
    return json.dumps(SCHEMAS[kind](vocab), ensure_ascii=False, indent=2) + "\n"


def _finish(model: type[BaseModel], title: str, vocab: Vocabulary, mode: str = "validation") -> dict[str, Any]:
    schema = model.model_json_schema(mode=mode)  # type: ignore[arg-type]
    for name, definition in schema.get("$defs", {}).items():
        if name in MODEL_DESCRIPTIONS:
            definition["description"] = MODEL_DESCRIPTIONS[name]
    _drop_titles(schema)
    schema["description"] = MODEL_DESCRIPTIONS.get(model.__name__, schema.get("description", ""))
    tables = [vocab.loss.levels, vocab.context.tags, vocab.body.values, dict(OUTCOME_MEANINGS), *_written_forms(vocab)]
    _describe_enums(schema, tables)
    return {"$schema": DIALECT, "title": title, **schema}


def _written_forms(vocab: Vocabulary) -> list[dict[str, str]]:
    """Descriptions of every value a case file may write: a choice's id, its Chinese label, its aliases; 是/否/不清楚."""
    tables = []
    for name in CHOICE_FIELDS:
        spellings, labels = vocab.spellings(name), vocab.choice_labels(name)
        tables.append({form: labels[form] if form == choice else f"{labels[choice]}（即 {choice}）" for form, choice in spellings.items()})
    meanings = {True: "是（即 true）", False: "否（即 false）", None: "不清楚：视为未知，与不写相同"}
    tables.append({word: meanings[value] for word, value in FACT_WORDS.items()})
    return tables


def _fact_labels(vocab: Vocabulary) -> dict[str, str]:
    return {name: f"{term.label}。{term.question}" for name, term in vocab.facts.items()}


def _choices(labels: dict[str, str]) -> list[dict[str, str]]:
    return [{"const": name, "description": label} for name, label in labels.items()]


def _walk(node: Any):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _drop_titles(schema: dict[str, Any]) -> None:
    for node in _walk(schema):
        if isinstance(node.get("title"), str):
            del node["title"]


def _describe_enums(schema: dict[str, Any], tables: list[dict[str, str]]) -> None:
    """An enum of loss levels, tags, body kinds or outcomes becomes choices with Chinese labels.

    A list of string items in a condition (loss / context / body) gets the same choices.
    """
    for node in list(_walk(schema)):
        values = node.get("enum")
        if not values:
            continue
        table = next((t for t in tables if set(values) <= set(t)), None)
        if table is not None:
            del node["enum"]
            node["anyOf"] = _choices({v: table[v] for v in values})
    defs = schema.get("$defs", {})
    for name, table in (("LossIn", tables[0]), ("ContextAny", tables[1]), ("BodyIn", tables[2])):
        if name in defs:
            key = next(iter(defs[name]["properties"]))
            defs[name]["properties"][key]["items"] = {"type": "string", "anyOf": _choices(table)}


def _union_members(schema: dict[str, Any]) -> list[dict[str, Any]]:
    return [member for node in _walk(schema) for member in node.get("oneOf", []) if isinstance(member, dict)]
