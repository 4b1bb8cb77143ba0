"""What a batch found, counted as records stream past: outcomes, exclusions, situations, gaps, errors.

The consistency check (同案不同判) lives here too: cases whose known facts are
identical (the same engine environment: stated facts, loss, context, body)
but whose recorded ``decision`` differs form a group; the tool's agreement
rate is the share of cases with a recorded decision whose ruling matches it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from rongcuo_cli.batch.record import FactsKey, FileResult

ERRORS_KEPT = 10


@dataclass(frozen=True)
class DecisionCase:
    file: str
    case_id: str
    decision: str
    outcome: str
    presumed: str  # the strict outcome when determined


@dataclass
class Consistency:
    """Recorded decisions against each other and against the tool."""

    by_facts: dict[FactsKey, list[DecisionCase]] = field(default_factory=lambda: defaultdict(list))

    def add(self, result: FileResult) -> None:
        if result.decision is None or result.facts_key is None or result.outcome is None:
            return
        self.by_facts[result.facts_key].append(
            DecisionCase(result.file, result.case_id or "", result.decision, result.outcome, result.outcome_or_presumed or result.outcome)
        )

    @property
    def recorded(self) -> int:
        return sum(len(cases) for cases in self.by_facts.values())

    @property
    def agreed(self) -> int:
        return sum(1 for cases in self.by_facts.values() for case in cases if case.decision == case.outcome)

    @property
    def agreed_presumed(self) -> int:
        """Agreement once each undetermined case takes its presumed outcome (presumptions verified)."""
        return sum(1 for cases in self.by_facts.values() for case in cases if case.decision == case.presumed)

    @property
    def undetermined(self) -> int:
        return sum(1 for cases in self.by_facts.values() for case in cases if case.outcome == "undetermined")

    @property
    def agreement(self) -> float | None:
        return self.agreed / self.recorded if self.recorded else None

    def conflicts(self) -> list[list[DecisionCase]]:
        """Groups of same-facts cases with more than one recorded decision, in input order."""
        return [cases for cases in self.by_facts.values() if len({c.decision for c in cases}) > 1]


@dataclass
class BatchSummary:
    total: int = 0
    done: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    presumed_outcomes: Counter[str] = field(default_factory=Counter)  # each undetermined case counted as presumed
    exclusions: Counter[str] = field(default_factory=Counter)
    matched: Counter[str] = field(default_factory=Counter)
    missing_facts: Counter[str] = field(default_factory=Counter)
    error_count: int = 0
    internal_count: int = 0
    errors: list[FileResult] = field(default_factory=list)  # the first ERRORS_KEPT
    consistency: Consistency | None = None

    def add(self, result: FileResult) -> None:
        self.done += 1
        if result.errors:
            self.error_count += 1
            self.internal_count += result.internal
            if len(self.errors) < ERRORS_KEPT:
                self.errors.append(result)
            return
        self.outcomes[result.outcome or ""] += 1
        self.presumed_outcomes[result.outcome_or_presumed or ""] += 1
        self.exclusions.update(result.exclusions)
        self.matched.update(result.matched)
        self.missing_facts.update(result.missing_facts)
        if self.consistency is not None:
            self.consistency.add(result)

    @property
    def assessed(self) -> int:
        return self.done - self.error_count
