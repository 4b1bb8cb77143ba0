"""Show a batch's summary on a terminal with Rich. The core never imports this module."""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.table import Table
from rich.text import Text

from rongcuo_cli.batch.summary import BatchSummary, Consistency
from rongcuo_cli.render.ruling import OUTCOME_STYLES, Para
from rongcuo_cli.load.ruleset_loader import CompiledRuleset
from rongcuo_cli.model.ruling import OUTCOME_LABELS
from rongcuo_cli.model.ruleset import OUTCOME_ORDER
from rongcuo_cli.model.vocabulary import Vocabulary

TOP_MISSING = 10
CONFLICTS_SHOWN = 10


def render_summary(summary: BatchSummary, ruleset: CompiledRuleset, vocab: Vocabulary, console: Console) -> None:
    titles = {r.rule.id: r.rule.title for r in ruleset.rules}
    console.print(Para(f"批量审查：{summary.done} 个文件，规则集 {ruleset.id}（{ruleset.meta.title}）", style="bold"))
    console.print(_outcomes(summary))
    if summary.exclusions:
        console.print(_counted("成立的不予容错情形", summary.exclusions, titles))
    if summary.matched:
        console.print(_counted("符合的适用情形", summary.matched, titles))
    if summary.missing_facts:
        labels = {name: vocab.variable_label(name) for name in summary.missing_facts}
        console.print(_counted(f"最常缺失的事实（前 {TOP_MISSING} 项）", summary.missing_facts, labels, limit=TOP_MISSING))
    if summary.error_count:
        _errors(summary, console)
    if summary.consistency is not None:
        _consistency(summary.consistency, console)


def _outcomes(summary: BatchSummary) -> Table:
    # Why two columns: a 待定 case usually lacks only exclusion facts; the presumed column says
    # where the batch stands once those are verified, without folding presumptions into findings.
    table = Table(title="认定结果", title_justify="left")
    table.add_column("结果")
    table.add_column("编号")
    table.add_column("严格结论", justify="right")
    table.add_column("推定结论（待核实）", justify="right")
    for outcome in (*OUTCOME_ORDER, "undetermined"):
        count, presumed = summary.outcomes.get(outcome, 0), summary.presumed_outcomes.get(outcome, 0)
        table.add_row(Text(OUTCOME_LABELS[outcome], style=OUTCOME_STYLES[outcome]), outcome, str(count), str(presumed))
    table.add_row(Text("输入有误", style="bold red"), "error", str(summary.error_count), str(summary.error_count))
    table.add_row(Text("合计", style="bold"), "", str(summary.done), str(summary.done))
    return table


def _counted(title: str, counts: Counter[str], labels: dict[str, str], limit: int | None = None) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column("编号")
    table.add_column("名称")
    table.add_column("案件数", justify="right")
    for key, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]:
        table.add_row(key, Para(labels.get(key, key)), str(count))
    return table


def _errors(summary: BatchSummary, console: Console) -> None:
    # Compiler-style lines, not a table: a long path stays whole and can be copied.
    shown = len(summary.errors)
    more = f"，以下为前 {shown} 个" if summary.error_count > shown else ""
    console.print(Text(f"有问题的文件：{summary.error_count} 个{more}", style="bold red"))
    for result in summary.errors:
        error = result.first_error
        if error is None:
            continue
        extra = f"（另有 {len(result.errors) - 1} 处）" if len(result.errors) > 1 else ""
        line = Text("  ")
        line.append(error.location, style="bold")
        line.append(f": [{error.code}] {error.message}{extra}")
        console.print(line, soft_wrap=True)


def _consistency(check: Consistency, console: Console) -> None:
    if not check.recorded:
        console.print("一致性核对：没有案件记录实际认定结果（decision 字段），无从比较。")
        return
    rate = f"{check.agreement:.1%}" if check.agreement is not None else "—"
    console.print(
        f"一致性核对：{check.recorded} 个案件记录了实际认定结果，本工具与之一致 {check.agreed} 个（{rate}）；"
        f"其中 {check.undetermined} 个因事实不全待定；按推定结论（待核实）一致 {check.agreed_presumed} 个。",
        markup=False,
    )
    conflicts = check.conflicts()
    if not conflicts:
        console.print("未发现同案不同判：事实相同的案件，记录的认定结果一致。")
        return
    table = Table(title=f"同案不同判：{len(conflicts)} 组事实相同而认定不同的案件", title_justify="left")
    table.add_column("组", justify="right")
    table.add_column("文件")
    table.add_column("案件编号")
    table.add_column("实际认定")
    table.add_column("本工具")
    for number, group in enumerate(conflicts[:CONFLICTS_SHOWN], start=1):
        for case in group:
            table.add_row(str(number), case.file, case.case_id, OUTCOME_LABELS[case.decision], OUTCOME_LABELS[case.outcome])
    console.print(table)
