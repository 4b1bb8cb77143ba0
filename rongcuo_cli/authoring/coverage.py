"""Which rules a folder of cases exercises: fired, never fired, left unknown.

Why: a reviewer trusts a ruleset more when every clause has been seen to
decide something on a real or sample case; the rules that never fired are
where the case corpus (or the rule) needs a second look. One bad case file is
recorded and the rest are still counted.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from rongcuo_cli.load.case_file import load_case
from rongcuo_cli.model.diagnostics import Diagnostic, UsageError, UserError
from rongcuo_cli.engine.assess import assess
from rongcuo_cli.model.ruleset import RuleKind
from rongcuo_cli.load.ruleset_loader import CompiledRuleset
from rongcuo_cli.model.tristate import Tri
from rongcuo_cli.model.vocabulary import Vocabulary
from rongcuo_cli.load.yaml_source import YAML_SUFFIXES



class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RuleCoverage(_Frozen):
    """How one rule came out across the cases."""

    rule: str = Field(description="规则编号")
    kind: RuleKind = Field(description="exclusion=不予容错情形，requirement=一般条件，situation=适用情形，outcome=处理结果")
    title: str = Field(description="规则标题")
    true: int = Field(description="成立的案件数")
    false: int = Field(description="不成立的案件数")
    unknown: int = Field(description="因事实缺失而未知的案件数")
    decided: int = Field(description="由该项给出处理结果的案件数（仅处理结果项）")


class CoverageReport(_Frozen):
    """The rules of one ruleset against a folder of cases."""

    ruleset: str = Field(description="规则集编号")
    cases: list[str] = Field(description="参与统计的案件文件")
    errors: list[Diagnostic] = Field(description="无法读取或校验的案件文件（未计入统计）")
    rules: list[RuleCoverage] = Field(description="各规则的统计，按评估顺序")
    fired: list[str] = Field(description="至少在一个案件中成立的规则")
    never_fired: list[str] = Field(description="在任何案件中都未成立的规则")
    left_unknown: list[str] = Field(description="至少在一个案件中因事实缺失而未知的规则")


def case_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        message = "这是一个文件，不是案件目录" if folder.is_file() else "案件目录不存在"
        raise UsageError([Diagnostic(file=str(folder), code="not-found", message=message, hint="给出存放案件 YAML 文件的目录")])
    return sorted(p for p in folder.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file())


def measure(folder: Path, ruleset: CompiledRuleset, vocab: Vocabulary) -> CoverageReport:
    counts = {r.rule.id: {Tri.TRUE: 0, Tri.FALSE: 0, Tri.UNKNOWN: 0, "decided": 0} for r in ruleset.rules}
    assessed: list[str] = []
    errors: list[Diagnostic] = []
    for path in case_files(folder):
        try:
            case = load_case(path)
        except UserError as exc:
            errors += exc.diagnostics
            continue
        assessed.append(str(path))
        for entry in assess(case, ruleset, vocab).trail:
            counts[entry.rule][entry.result] += 1
            counts[entry.rule]["decided"] += int(entry.decided)
    rules = [
        RuleCoverage(
            rule=r.rule.id, kind=r.kind, title=r.rule.title,
            true=counts[r.rule.id][Tri.TRUE], false=counts[r.rule.id][Tri.FALSE],
            unknown=counts[r.rule.id][Tri.UNKNOWN], decided=counts[r.rule.id]["decided"],
        )
        for r in ruleset.rules
    ]
    return CoverageReport(
        ruleset=ruleset.id, cases=assessed, errors=errors, rules=rules,
        fired=[r.rule for r in rules if r.true],
        never_fired=[r.rule for r in rules if not r.true],
        left_unknown=[r.rule for r in rules if r.unknown],
    )
