"""engine — assessing cases: pure functions from a case and a compiled ruleset to a ruling.

Owns: evaluation and the outcome (``assess``), exploring unknown facts,
presumptions, what-if and decisive facts, satisfiability, measures,
working-day deadlines, versions in time (从旧兼从轻), the full advice a
handler reads (``advice``), one rule's explanation, and comparing rulesets.

May import: ``model``, ``load``. Never Typer or Rich.
"""
