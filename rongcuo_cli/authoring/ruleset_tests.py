"""Ruleset test files: cases with the ruling the policy text demands.

A test file sits beside the rulesets (``rulesets/tests/<id>.yaml``, shipped in
the wheel) or anywhere a user keeps one::

    ruleset: jiaozuo          # id, or a path relative to this file; default: this file's name
    cases:                    # named base cases, each a complete case file (contract 1)
      flood: {case_id: T-1, title: ..., subject: {kind: individual}, facts: {...}}
    tests:
      - name: 已履职尽责、因不可抗力造成损失的，免除
        case: flood           # a named case, a case file path (relative to this file), or an inline case
        with:                 # optional changes: facts merged one by one, other keys replaced; null = unknown
          facts: {diligent: false}
        expect: {outcome: waived, matched: [...], exclusions: [], missing_facts: [], decided_by: ...}

Only the expectations written are checked; lists are compared as sets.
Core module: returns results, prints nothing.
"""

from __future__ import annotations

import copy
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, model_validator

from rongcuo_cli.load import yaml_source
from rongcuo_cli.model.case import CaseBase
from rongcuo_cli.load.case_file import case_model
from rongcuo_cli.model.diagnostics import Diagnostic, UsageError, UserError, suggest
from rongcuo_cli.engine.assess import assess
from rongcuo_cli.load.resources import rulesets_dir
from rongcuo_cli.load.ruleset_loader import CompiledRuleset, load_ruleset, looks_like_path, shipped_ids
from rongcuo_cli.model.ruling import OutcomeValue, Ruling
from rongcuo_cli.load.validation import validate
from rongcuo_cli.model.vocabulary import Vocabulary

TESTS_FOLDER = "tests"
LIST_FIELDS = ("matched", "exclusions", "missing_facts", "presumed_facts")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Expectation(_Strict):
    """What the ruling must say; a field left out is not checked."""

    outcome: Optional[OutcomeValue] = Field(default=None, description="应得的处理结果：waived / reduced / lighter / not_tolerated / undetermined")
    matched: Optional[list[str]] = Field(default=None, description="应成立的适用情形编号（全部列出，不计顺序）")
    exclusions: Optional[list[str]] = Field(default=None, description="应成立的不予容错情形编号（全部列出，不计顺序）")
    missing_facts: Optional[list[str]] = Field(default=None, description="应列为缺失的事实（全部列出，不计顺序）")
    decided_by: Optional[str] = Field(default=None, description="决定处理结果的那一项 outcomes 编号")
    outcome_range: Optional[list[OutcomeValue]] = Field(default=None, description="应得的处理幅度（从宽到严）")
    presumed_outcome: Optional[OutcomeValue] = Field(default=None, description="待定时：推定结论（缺失的不予容错情形事实推定为不存在）")
    presumed_range: Optional[list[OutcomeValue]] = Field(default=None, description="待定时：推定结论的处理幅度")
    presumed_facts: Optional[list[str]] = Field(default=None, description="待定时：作出推定的事实（全部列出，不计顺序）")

    @model_validator(mode="after")
    def _something_expected(self) -> "Expectation":
        if not self.model_fields_set:
            raise ValueError("expect 至少写一项：outcome、outcome_range、matched、exclusions、missing_facts、decided_by 或 presumed_*")
        return self


class RulesetTest(_Strict):
    """One test: a case (perhaps changed a little) and the ruling expected."""

    name: str = Field(min_length=1, description="测试名称：用一句话写明所检验的政策要点")
    case: Union[str, dict[str, Any]] = Field(description="基础案件：cases 中的名称、案件文件路径（相对于本文件），或直接写出的案件")
    with_: dict[str, Any] = Field(default_factory=dict, alias="with", description="对基础案件的改动：facts 逐项合并，其余键整体替换；写 null 表示未知")
    expect: Expectation = Field(description="预期的认定结果")


class RulesetTestFile(_Strict):
    """A file of ruleset tests."""

    ruleset: Optional[str] = Field(default=None, description="被测规则集：编号，或相对于本文件的路径；省略时取本文件名")
    cases: dict[str, dict[str, Any]] = Field(default_factory=dict, description="具名的基础案件，供各测试引用")
    tests: list[RulesetTest] = Field(min_length=1, description="测试列表")


class Mismatch(_Strict):
    field: str = Field(description="不符的项")
    expected: Any = Field(description="预期")
    actual: Any = Field(description="实际")


class RulesetTestResult(_Strict):
    name: str = Field(description="测试名称")
    mismatches: list[Mismatch] = Field(description="不符之处；为空即通过")
    ruling: Ruling = Field(description="实际得到的认定结果")

    @property
    def passed(self) -> bool:
        return not self.mismatches


class RulesetTestReport(_Strict):
    file: str = Field(description="测试文件")
    ruleset: str = Field(description="被测规则集编号")
    results: list[RulesetTestResult] = Field(description="各测试的结果")

    @property
    def failed(self) -> list[RulesetTestResult]:
        return [r for r in self.results if not r.passed]


def shipped_test_files() -> list[Traversable]:
    folder = rulesets_dir() / TESTS_FOLDER
    if not folder.is_dir():
        return []
    return sorted((entry for entry in folder.iterdir() if entry.name.endswith(".yaml")), key=lambda e: e.name)


def untested_shipped() -> list[str]:
    """Shipped ruleset ids that have no test file beside them."""
    tested = {entry.name[: -len(".yaml")] for entry in shipped_test_files()}
    return [name for name in shipped_ids() if name not in tested]


def find_test_files(names: list[str]) -> list[Traversable | Path]:
    """Test files for shipped ids, ruleset files, test files or folders; all shipped when none named."""
    if not names:
        return list(shipped_test_files())
    found: list[Traversable | Path] = []
    for name in names:
        path = Path(name)
        if path.is_dir():
            found += sorted(path.glob("*.yaml"))
        elif path.is_file():
            beside = path.parent / TESTS_FOLDER / path.name
            found.append(beside if beside.is_file() and not _is_test_file(path) else path)
        elif name in shipped_ids():
            shipped = {entry.name: entry for entry in shipped_test_files()}
            if f"{name}.yaml" not in shipped:
                raise UserError([Diagnostic(file=name, code="no-tests", message=f"规则集 `{name}` 没有测试文件", hint=f"在 rulesets/{TESTS_FOLDER}/{name}.yaml 中编写")])
            found.append(shipped[f"{name}.yaml"])
        else:
            # A name that is neither an id nor a path is a command-line mistake: exit 2, like an unknown ruleset elsewhere.
            raise UsageError([Diagnostic(file=name, code="unknown-ruleset", message="既不是规则集编号，也不是存在的文件或目录", hint=suggest(name, shipped_ids()) or f"已有：{'、'.join(shipped_ids())}")])
    return found


def _is_test_file(path: Path) -> bool:
    data = yaml_source.load(path).data
    return isinstance(data, dict) and "tests" in data


def run_test_file(source: Traversable | Path, vocab: Vocabulary) -> RulesetTestReport:
    """Run every test of one file; problems in the file itself raise UserError."""
    if isinstance(source, Path):
        doc, folder = yaml_source.load(source), source.parent
    else:
        doc, folder = yaml_source.parse(source.read_text(encoding="utf-8"), f"rulesets/{TESTS_FOLDER}/{source.name}"), None
    spec = validate(RulesetTestFile, doc, context="规则集测试")
    ruleset = _ruleset(spec, source.name, folder, doc)
    problems = _check_names(spec, doc, ruleset, vocab)
    cases = []
    for index, test in enumerate(spec.tests):
        try:
            cases.append(_case(spec, test, index, doc, folder))
        except UserError as exc:
            problems += exc.diagnostics
    if problems:
        raise UserError(sorted(problems, key=lambda d: (d.file, d.line or 0, d.column or 0)))
    results = [_run(test, case, ruleset, vocab) for test, case in zip(spec.tests, cases)]
    return RulesetTestReport(file=doc.file, ruleset=ruleset.id, results=results)


def _ruleset(spec: RulesetTestFile, file_name: str, folder: Path | None, doc: yaml_source.Document) -> CompiledRuleset:
    name = spec.ruleset or file_name[: -len(".yaml")]
    if folder is not None and spec.ruleset and looks_like_path(spec.ruleset):
        name = str((folder / spec.ruleset).resolve())
    try:
        return load_ruleset(name)
    except UserError as exc:
        if exc.diagnostics and exc.diagnostics[0].code == "unknown-ruleset":
            raise UserError([doc.diagnostic(("ruleset",), "unknown-ruleset", exc.diagnostics[0].message, exc.diagnostics[0].hint)]) from None
        raise


def _check_names(spec: RulesetTestFile, doc: yaml_source.Document, ruleset: CompiledRuleset, vocab: Vocabulary) -> list[Diagnostic]:
    """Expected ids must exist: a typo would make a test pass or fail for the wrong reason."""
    known = {
        "matched": [r.rule.id for r in ruleset.section("situation")],
        "exclusions": [r.rule.id for r in ruleset.section("exclusion")],
        "missing_facts": vocab.public_names,
        "presumed_facts": vocab.public_names,
        "decided_by": [r.rule.id for r in ruleset.section("outcome")],
    }
    found = []
    for index, test in enumerate(spec.tests):
        for key, allowed in known.items():
            value = getattr(test.expect, key)
            values = [value] if isinstance(value, str) else (value or [])
            for position, item in enumerate(values):
                if item not in allowed:
                    path = ("tests", index, "expect", key) + ((position,) if isinstance(value, list) else ())
                    found.append(doc.diagnostic(path, "unknown-id", f"`{item}` 不是规则集 `{ruleset.id}` 中的{_KNOWN_LABELS[key]}", suggest(item, allowed)))
    return found


_KNOWN_LABELS = {"matched": "适用情形", "exclusions": "不予容错情形", "missing_facts": "事实名", "presumed_facts": "事实名", "decided_by": "处理结果项"}


def _case(spec: RulesetTestFile, test: RulesetTest, index: int, doc: yaml_source.Document, folder: Path | None) -> CaseBase:
    """The base case, validated where it is written, then changed and validated again."""
    model = case_model()
    where = ("tests", index)
    if isinstance(test.case, dict):
        base_doc = _subdocument(doc, where + ("case",), test.case)
    elif test.case in spec.cases:
        base_doc = _subdocument(doc, ("cases", test.case), spec.cases[test.case])
    elif folder is not None and test.case.endswith(yaml_source.YAML_SUFFIXES):
        base_doc = yaml_source.load(folder / test.case)
    else:
        raise UserError([doc.diagnostic(where + ("case",), "unknown-case", f"找不到基础案件 `{test.case}`", suggest(test.case, spec.cases) or "写 cases 中的名称，或相对于本文件的案件文件路径")])
    base = validate(model, base_doc, context="案件")
    if not test.with_:
        return base
    changed = _apply(copy.deepcopy(base_doc.data), test.with_)
    return validate(model, _subdocument(doc, where + ("with",), changed), context="案件")


def _apply(case: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(case.get(key), dict):
            case[key] = _apply(case[key], value)
        elif value is None:
            case.pop(key, None)
        else:
            case[key] = value
    return case


def _subdocument(doc: yaml_source.Document, prefix: tuple, data: Any) -> yaml_source.Document:
    """The part of ``doc`` under ``prefix`` as a document of its own, positions kept."""
    cut = len(prefix)
    keys = {path[cut:]: pos for path, pos in doc.key_positions.items() if path[:cut] == prefix}
    values = {path[cut:]: pos for path, pos in doc.value_positions.items() if path[:cut] == prefix}
    values.setdefault((), doc.position(prefix))
    return yaml_source.Document(file=doc.file, data=data, key_positions=keys, value_positions=values)


def _run(test: RulesetTest, case: CaseBase, ruleset: CompiledRuleset, vocab: Vocabulary) -> RulesetTestResult:
    ruling = assess(case, ruleset, vocab)
    actual: dict[str, Any] = {
        "outcome": ruling.outcome,
        "matched": ruling.matched,
        "exclusions": ruling.exclusions,
        "missing_facts": ruling.missing_facts,
        "decided_by": next((entry.rule for entry in ruling.trail if entry.decided), None),
        "outcome_range": ruling.outcome_range,
        "presumed_outcome": ruling.presumed.outcome if ruling.presumed else None,
        "presumed_range": ruling.presumed.outcome_range if ruling.presumed else None,
        "presumed_facts": [a.fact for a in ruling.presumed.assumptions] if ruling.presumed else None,
    }
    mismatches = []
    for key in test.expect.model_fields_set:
        expected = getattr(test.expect, key)
        same = sorted(expected) == sorted(actual[key] or []) and actual[key] is not None if key in LIST_FIELDS else expected == actual[key]
        if not same:
            mismatches.append(Mismatch(field=key, expected=expected, actual=actual[key]))
    mismatches.sort(key=lambda m: list(actual).index(m.field))
    return RulesetTestResult(name=test.name, mismatches=mismatches, ruling=ruling)
