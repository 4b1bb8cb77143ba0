"""Lint a ruleset: what a reviewer must be able to trust before using it.

Errors (the ruleset is wrong): it does not load (schema, unknown facts or
tags, unknown rule references, an outcome mapping with a gap); a rule can
never fire; an outcome entry is dead; a quote is missing or does not occur in
what it cites; an interpretation does not say what it rests on.
Warnings (a reviewer should look): situations that overlap in a way the
outcome order silently settles, or that are duplicates; quotes that could
not be checked; a text rule whose quote is a paraphrase.

"Can never fire" is exact, not heuristic (see ``satisfiability``):

- any rule: its condition is a contradiction;
- a requirement or situation: no case that no exclusion settles, meeting
  every requirement, makes it hold (for a situation) — whatever it asks is
  already forbidden by an exclusion or a requirement;
- an outcome entry: no eligible case reaches it, because an unconditional
  entry comes first, because exclusions or requirements forbid what it asks,
  or because earlier entries hold for every case it covers.

Core module: returns values, prints nothing.
"""

from __future__ import annotations

from typing import Iterator, Literal

from pydantic import BaseModel, ConfigDict, Field

from rongcuo_cli.model.condition import CONTEXT_PREFIX, references
from rongcuo_cli.model.diagnostics import Diagnostic, UsageError, UserError, cap
from rongcuo_cli.engine.assess import variable_domain
from rongcuo_cli.authoring.quotes import fragments, missing_fragments
from rongcuo_cli.model.ruleset import KIND_LABELS, SECTIONS, Citation, Ruleset
from rongcuo_cli.load.ruleset_loader import CompiledRule, CompiledRuleset, UnknownRuleset, load_ruleset
from rongcuo_cli.model.ruling import OUTCOME_LABELS
from rongcuo_cli.engine.satisfiability import Budget, Constraint, SearchExhausted, find_case, holds
from rongcuo_cli.authoring.source_texts import SourceTexts
from rongcuo_cli.model.tristate import Tri
from rongcuo_cli.model.vocabulary import Vocabulary
from rongcuo_cli.load.yaml_source import Document

Severity = Literal["error", "warning"]
# Condition evaluations one lint may spend on its exact checks (the shipped rulesets need at most
# about 85,000); past it the remaining checks say "maybe" and a warning says so.
LINT_BUDGET = 1_000_000


class Finding(BaseModel):
    """One problem found by the lint, with how serious it is."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    severity: Severity = Field(description="error=错误（规则集有误），warning=警告（需要审阅者判断）")
    diagnostic: Diagnostic = Field(description="问题所在位置与说明")


class LintReport(BaseModel):
    """The findings for one ruleset, in file order."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ruleset: str = Field(description="规则集编号或文件路径（按用户所给）")
    title: str | None = Field(default=None, description="规则集全称（能载入时）")
    file: str | None = Field(default=None, description="规则集本身的文件（能载入时）")
    findings: list[Finding] = Field(default_factory=list, description="发现的问题")

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)


def lint(names: list[str], vocab: Vocabulary, texts: SourceTexts) -> list[LintReport]:
    """Lint each named ruleset; a file shared through ``extends`` has its quotes checked once."""
    checked_files: set[str] = set()
    reports = [lint_one(name, vocab, texts, checked_files) for name in names]
    # A finding in a parent's file (inherited through ``extends``) is listed once, under the
    # parent, when the parent is checked too; otherwise under the child that inherits it.
    owners = {report.file: report for report in reports if report.file}
    return [
        report.model_copy(update={"findings": [f for f in report.findings if owners.get(f.diagnostic.file, report) is report]})
        for report in reports
    ]


def lint_one(name: str, vocab: Vocabulary, texts: SourceTexts, checked_files: set[str] | None = None) -> LintReport:
    try:
        compiled = load_ruleset(name)
    except (UnknownRuleset, UsageError):
        raise  # a name that is no ruleset, or a path that does not exist, is a usage error (exit 2), not a finding
    except UserError as exc:
        return LintReport(ruleset=name, findings=[Finding(severity="error", diagnostic=d) for d in exc.diagnostics])
    checked = checked_files if checked_files is not None else set()
    findings = _Reachability(compiled, vocab).findings()
    for doc, ruleset in compiled.sources:
        if doc.file in checked:
            continue
        checked.add(doc.file)
        findings += _citation_findings(doc, ruleset, texts) + _interpretation_findings(doc, ruleset) + _range_findings(doc, ruleset)
    unique = list(dict.fromkeys(findings))
    unique.sort(key=lambda f: (f.diagnostic.file, f.diagnostic.line or 0, f.diagnostic.column or 0))
    return LintReport(ruleset=name, title=compiled.meta.title, file=compiled.files[0], findings=_capped(unique))


def _capped(findings: list[Finding]) -> list[Finding]:
    """The first ``MAX_PER_FILE`` findings of each file, then a count of the rest (see ``diagnostics.cap``).

    The count is an error when an error is among those left out, so the exit code still says so.
    """
    shown = cap(f.diagnostic for f in findings)
    by_diagnostic = {f.diagnostic: f for f in findings}
    kept = set(shown)
    dropped_errors = {f.diagnostic.file for f in findings if f.diagnostic not in kept and f.severity == "error"}
    return [by_diagnostic.get(d) or Finding(severity="error" if d.file in dropped_errors else "warning", diagnostic=d) for d in shown]


def _error(diagnostic: Diagnostic) -> Finding:
    return Finding(severity="error", diagnostic=diagnostic)


def _warning(diagnostic: Diagnostic) -> Finding:
    return Finding(severity="warning", diagnostic=diagnostic)


def _at(rule: CompiledRule, code: str, message: str, hint: str | None = None, *, at_id: bool = False) -> Diagnostic:
    """A diagnostic at the rule's condition (or its id, or the rule itself when it has no condition)."""
    assert rule.document is not None
    where = rule.path + (("id",) if at_id else ("when",) if rule.rule.when is not None else ())
    return rule.document.diagnostic(where, code, message, hint, key=at_id)


def _name(rule: CompiledRule) -> str:
    return f"{KIND_LABELS[rule.kind]} `{rule.rule.id}`"


def _names(rules: list[CompiledRule]) -> str:
    return "、".join(_name(r) for r in rules)


class _Reachability:
    """The exact checks on conditions: contradictions, dead rules, overlaps."""

    def __init__(self, compiled: CompiledRuleset, vocab: Vocabulary):
        self.compiled = compiled
        self.vocab = vocab
        self.exclusions = list(compiled.section("exclusion"))
        self.requirements = list(compiled.section("requirement"))
        self.situations = list(compiled.section("situation"))
        self.outcomes = list(compiled.section("outcome"))
        self.not_excluded = [self.holds(r, Tri.FALSE) for r in self.exclusions]
        self.required = [self.holds(r) for r in self.requirements]
        self.budget = Budget(LINT_BUDGET)
        situated = [self._any_situation()] if self.situations else []
        self.eligible = self.not_excluded + self.required + situated

    @staticmethod
    def holds(rule: CompiledRule, want: Tri = Tri.TRUE) -> Constraint:
        return holds(rule.evaluate, rule.reads_all, want)

    def _any_situation(self) -> Constraint:
        """Some situation holds: all of them evaluated in one scope, each rule they name once."""
        assert self.compiled.graph is not None
        ids = [r.rule.id for r in self.situations]
        reads = tuple(dict.fromkeys(v for r in self.situations for v in r.reads_all))
        return Constraint(evaluate=self.compiled.graph.any_entry(ids), want=Tri.TRUE, reads=reads, cost=len(ids))

    def example(self, constraints: list[Constraint]) -> dict | None:
        """A case meeting the constraints; ``{}`` stands for "maybe" when the search gives up."""
        if self.budget.spent_out:
            return {}
        try:
            return find_case(constraints, lambda v: variable_domain(v, self.vocab), shared=self.budget)
        except SearchExhausted:
            return {}

    def minimal_example(self, constraints: list[Constraint]) -> dict | None:
        """An example case with the facts that do not matter to it left out."""
        case = self.example(constraints)
        if not case:
            return case
        for name in list(case):
            smaller = {k: v for k, v in case.items() if k != name}
            if all(c.evaluate(smaller) is c.want for c in constraints):
                case = smaller
        return case

    def possible(self, constraints: list[Constraint]) -> bool:
        return self.example(constraints) is not None

    def findings(self) -> list[Finding]:
        found: list[Finding] = []
        contradictory = {r.rule.id for r in self.compiled.rules if r.rule.when is not None and not self.possible([self.holds(r)])}
        for rule in self.compiled.rules:
            if rule.rule.id in contradictory:
                found.append(_error(_at(rule, "never-holds", f"{_name(rule)} 的条件自相矛盾，任何案件都不会成立", "检查 all / any / not 的嵌套是否写反")))
        found += self._dead_stages(contradictory)
        found += self._dead_outcomes(contradictory)
        found += self._duplicate_situations(contradictory)
        found += self._overlaps_with_different_outcomes()
        if self.budget.spent_out:
            doc = self.compiled.sources[-1][0]
            found.append(_warning(Diagnostic(
                file=doc.file, code="lint-budget",
                message=f"规则集过大或条件过于复杂：精确检查用完了预算（{LINT_BUDGET:,} 次条件求值），其余检查未做完，未报告的问题仍可能存在",
                hint="把规则集拆小，或减少规则之间的相互引用",
            )))
        return found

    def _blockers(self, target: Constraint, rules: list[CompiledRule], want: Tri) -> list[CompiledRule]:
        return [r for r in rules if not self.possible([target, self.holds(r, want)])]

    def _dead_stages(self, contradictory: set[str]) -> list[Finding]:
        found = []
        for rule in self.requirements + self.situations:
            if rule.rule.id in contradictory:
                continue
            target = self.holds(rule)
            context = self.not_excluded + self.required
            if self.possible(context + [target]):
                continue
            found.append(_error(_at(rule, "never-fires", f"{_name(rule)} 永远不会起作用：{self._why_blocked(target)}",
                                    "对照原文检查该条件与不予容错情形、一般条件是否重复或写反")))
        if not found and not self.possible(self.eligible):
            doc = self.compiled.sources[-1][0]
            found.append(_error(doc.diagnostic(("situations",), "never-eligible", "没有任何案件能符合容错条件：一般条件与适用情形不能同时成立", "检查一般条件之间是否互相排斥")))
        return found

    def _why_blocked(self, target: Constraint) -> str:
        excluded_by = self._blockers(target, self.exclusions, Tri.FALSE)
        if excluded_by:
            return f"它要求的事实正是 {_names(excluded_by)} 所排除的，凡它成立的案件都先被排除"
        if not self.possible(self.not_excluded + [target]):
            return "凡它成立的案件，总有某项不予容错情形成立"
        conflicting = self._blockers(target, self.requirements, Tri.TRUE)
        if conflicting:
            return f"它与 {_names(conflicting)} 不能同时成立"
        return "它与不予容错情形、一般条件合在一起后不可能成立"

    def _dead_outcomes(self, contradictory: set[str]) -> list[Finding]:
        found = []
        for index, entry in enumerate(self.outcomes):
            earlier = self.outcomes[:index]
            if entry.rule.id in contradictory:
                continue
            unconditional = next((e for e in earlier if e.rule.when is None), None)
            if entry.rule.when is None and unconditional is None:
                continue  # the fallback: unreachable only when the entries above cover every case, which is fine
            target = self.holds(entry)
            if unconditional is None and self.possible(self.eligible + [self.holds(e, Tri.FALSE) for e in earlier] + [target]):
                continue
            if unconditional is not None:
                message = f"处理结果 `{entry.rule.id}` 排在无条件的 `{unconditional.rule.id}` 之后，永远轮不到"
                found.append(_error(_at(entry, "dead-outcome", message, "无条件的一项只能放在最后", at_id=True)))
            elif not self.possible(self.eligible + [target]):
                found.append(_error(_at(entry, "dead-outcome", f"处理结果 `{entry.rule.id}` 永远不会起作用：{self._why_blocked(target)}",
                                        "予以容错的案件已排除这些情形；检查该项条件是否写反")))
            else:
                shadows = [e for e in earlier if self.possible(self.eligible + [target, self.holds(e)])]
                message = f"处理结果 `{entry.rule.id}` 被前面的 {'、'.join(f'`{e.rule.id}`' for e in shadows)} 完全遮蔽：凡它成立的案件都先由前项给出结果"
                found.append(_error(_at(entry, "shadowed-outcome", message, "把更具体的一项移到前面，或删去该项")))
        return found

    def _duplicate_situations(self, contradictory: set[str]) -> list[Finding]:
        live = [s for s in self.situations if s.rule.id not in contradictory and self.possible(self.eligible + [self.holds(s)])]
        found = []
        for later_index, later in enumerate(live):
            # A region restating its parent's clause (extends) is the source's own choice; one file listing a situation twice is not.
            for earlier in (s for s in live[:later_index] if s.origin.file == later.origin.file):
                if self.possible(self.eligible + [self.holds(earlier), self.holds(later, Tri.FALSE)]):
                    continue
                if self.possible(self.eligible + [self.holds(later), self.holds(earlier, Tri.FALSE)]):
                    continue
                message = f"适用情形 `{later.rule.id}` 与 `{earlier.rule.id}` 对符合容错条件的案件完全重合：两者总是同时成立或同时不成立"
                found.append(_warning(_at(later, "situation-duplicate", message, "核对原文：两项是否本为一项，或其中一项编码过宽、过窄")))
        return found

    def _overlaps_with_different_outcomes(self) -> list[Finding]:
        """Situations that can hold together yet lead to different outcomes, the order deciding silently.

        A later entry that itself names the earlier situation (typically
        ``not: {rule: A}``) shows the precedence was meant, and is not reported.
        """
        by_id = {s.rule.id: s for s in self.situations}
        leads: list[tuple[CompiledRule, CompiledRule]] = [
            (by_id[ref], entry) for entry in self.outcomes for ref in dict.fromkeys(references(entry.rule.when)) if ref in by_id
        ]
        found = []
        reported: set[tuple[str, str]] = set()
        for i, (first, first_entry) in enumerate(leads):
            for second, second_entry in leads[i + 1:]:
                pair = (first.rule.id, second.rule.id)
                if first is second or first_entry.rule.outcome == second_entry.rule.outcome or pair in reported:  # type: ignore[attr-defined]
                    continue
                if first.rule.id in references(second_entry.rule.when):
                    continue  # the later entry names the earlier situation: the precedence is written down, not silent
                case = self.minimal_example(self.eligible + [self.holds(first), self.holds(second)])
                if case is None:
                    continue
                reported.add(pair)
                first_outcome = OUTCOME_LABELS[first_entry.rule.outcome]  # type: ignore[attr-defined]
                second_outcome = OUTCOME_LABELS[second_entry.rule.outcome]  # type: ignore[attr-defined]
                message = (
                    f"适用情形 `{first.rule.id}` 与 `{second.rule.id}` 可同时成立（例如 {describe_case(case)}），"
                    f"但分别导向{first_outcome}（`{first_entry.rule.id}`）与{second_outcome}（`{second_entry.rule.id}`）；"
                    f"两者都成立时按顺序取{first_outcome}"
                )
                hint = f"核对原文是否有意如此；若是，在 `{second_entry.rule.id}` 的条件中写明 `not: {{rule: {first.rule.id}}}`，把先后关系写出来"
                found.append(_warning(_at(second, "situation-overlap", message, hint)))
        return found


def describe_case(case: dict) -> str:
    """An example assignment as a reader writes a case: facts, loss, context tags."""
    if not case:
        return "某些案件"
    parts = [f"{name}={str(value).lower() if isinstance(value, bool) else value}" for name, value in case.items() if not name.startswith(CONTEXT_PREFIX)]
    tags = [name[len(CONTEXT_PREFIX):] for name, value in case.items() if name.startswith(CONTEXT_PREFIX) and value]
    if tags:
        parts.append(f"context 含 {'、'.join(tags)}")
    return "，".join(parts) or "任何案件"


def citations(ruleset: Ruleset) -> Iterator[tuple[tuple, Citation]]:
    """Every citation a ruleset file makes, with its path in the file."""
    for section in SECTIONS:
        for index, rule in enumerate(getattr(ruleset, section)):
            yield (section, index, "cites"), rule.cites
            for lean_index, lean in enumerate(rule.leans_on):
                yield (section, index, "leans_on", lean_index), lean
    for table in ("result_use", "next_steps"):
        for outcome, items in getattr(ruleset, table).items():
            for index, item in enumerate(items):
                yield (table, outcome, index, "cites"), item.cites
    for index, step in enumerate(ruleset.procedure):
        yield ("procedure", index, "cites"), step.cites


def _citation_findings(doc: Document, ruleset: Ruleset, texts: SourceTexts) -> list[Finding]:
    found: list[Finding] = []
    unchecked: dict[str, None] = {}
    for path, cite in citations(ruleset):
        parts = fragments(cite)
        if not parts or not all(part.strip() for part in parts):
            found.append(_error(doc.diagnostic(path + ("quote",), "no-quote", "引述为空（或含空片段）", "写出所依据条款的原文")))
            continue
        if cite.paraphrase:
            continue
        source = texts.path_of(cite.source)
        if source is None:
            unchecked[cite.source] = None
            continue
        if not source.is_file():
            found.append(_error(doc.diagnostic(path + ("source",), "unknown-source", f"来源文件 `{cite.source}` 不存在于 {source.parent}", "种子文件名须与 shared/seeds 中的文件名一致")))
            continue
        for fragment in missing_fragments(cite, texts.text(source)):
            where = path + (("quote", parts.index(fragment)) if isinstance(cite.quote, list) else ("quote",))
            found.append(_error(doc.diagnostic(
                where, "quote-not-found", f"引述不在来源 `{cite.source}` 中：“{fragment}”",
                "按原文逐字引述（空白、全角半角不计）；版面割裂的条款写成片段列表；确属转述的标 paraphrase: true",
            )))
    for section in SECTIONS:
        for index, rule in enumerate(getattr(ruleset, section)):
            if rule.basis == "text" and rule.cites.paraphrase:
                found.append(_warning(doc.diagnostic(
                    (section, index, "cites", "paraphrase"), "paraphrase-as-text",
                    f"规则 `{rule.id}` 以原文为依据（basis: text），引述却标为转述", "找到原文逐字引述，或改为 basis: interpretation",
                )))
    if unchecked:
        names = "、".join(unchecked)
        found.append(_warning(Diagnostic(file=doc.file, code="quotes-unchecked", message=f"找不到来源文本，未核对以下来源的引述：{names}", hint="用 --seeds 指定种子文件目录（其上级目录的 docs/national-norms.md 为全国性规定）")))
    return found


def _interpretation_findings(doc: Document, ruleset: Ruleset) -> list[Finding]:
    found = []
    for section in SECTIONS:
        for index, rule in enumerate(getattr(ruleset, section)):
            if rule.basis != "interpretation":
                continue
            lacking = [name for name, given in (("note", rule.note), ("leans_on", rule.leans_on)) if not given]
            if lacking:
                found.append(_error(doc.diagnostic(
                    (section, index, "basis"), "interpretation-basis",
                    f"解释性规则 `{rule.id}` 没有写明 {'、'.join(lacking)}",
                    "note 说明为何这样解释，leans_on 引述所依据的条款（如全国性规定）",
                )))
    return found


def _range_findings(doc: Document, ruleset: Ruleset) -> list[Finding]:
    """A range with a choice must say why its point (an omitted range is the point alone: a text that fixes the result)."""
    found = []
    for index, rule in enumerate(ruleset.outcomes):
        if rule.range is not None and len(rule.range) > 1 and not rule.point_reason:
            found.append(_error(doc.diagnostic(
                ("outcomes", index, "range"), "range-without-reason",
                f"处理结果 `{rule.id}` 的幅度有 {len(rule.range)} 项，却没有说明为何建议 {rule.outcome}",
                "写 point_reason：在幅度内建议这一点的理由（如 损失已挽回 → 免除）",
            )))
    return found
