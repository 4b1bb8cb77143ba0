"""The full ruling a case handler reads: the engine's ruling plus what follows from it.

Why a separate step: ``engine.assess`` is the hot path of a batch. The
decisive-fact and what-if analysis re-evaluates the case once per fact value,
so it is computed on demand (``analyse``); measures and deadlines are cheap
and always added.
"""

from __future__ import annotations

from typing import Any, Mapping, Optional

from rongcuo_cli.model.case import CaseBase
from rongcuo_cli.engine.deadlines import alerts, procedure_status
from rongcuo_cli.engine.assess import environment
from rongcuo_cli.engine.measures import advise_measure
from rongcuo_cli.load.ruleset_loader import CompiledRuleset
from rongcuo_cli.model.ruling import Ruling
from rongcuo_cli.model.trusted import replaced
from rongcuo_cli.engine.versions import applicable, assess_in_time
from rongcuo_cli.model.vocabulary import Vocabulary
from rongcuo_cli.engine.whatif import apply_overrides, decisive_facts, what_if


def advise(
    case: CaseBase, ruleset: CompiledRuleset, vocab: Vocabulary, *,
    overrides: Optional[Mapping[str, Any]] = None, analyse: bool = True,
) -> Ruling:
    changes = []
    if overrides:
        case, changes = apply_overrides(case, overrides, vocab)
    ruling, _ = assess_in_time(case, ruleset, vocab)
    steps = procedure_status(ruling.procedure, case.dates)  # the applied version's steps, built once per ruleset
    update: dict[str, Any] = {
        "overrides": changes,
        "measure": advise_measure(case, ruling.outcome),
        "procedure": steps,
        "procedure_alerts": alerts(steps),
    }
    if analyse:
        env = environment(case, vocab)
        chain, _ = applicable(case, ruleset)
        update["decisive_facts"] = decisive_facts(chain, vocab, env, (ruling.outcome, tuple(ruling.possible_outcomes)))
        if ruling.outcome == "undetermined":
            update["what_if"] = what_if(chain, vocab, env, ruling.missing_facts)
    return replaced(ruling, update)


def case_for(case: CaseBase, vocab: Vocabulary, overrides: Optional[Mapping[str, Any]]) -> CaseBase:
    """The case as assessed: with the overrides applied, if any."""
    return apply_overrides(case, overrides, vocab)[0] if overrides else case
