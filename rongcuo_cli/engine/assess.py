"""Assess one case under one compiled ruleset. Pure: no I/O, no region.

Precedence: an exclusion that holds settles 不予容错; otherwise a case must
meet every requirement and at least one situation; an eligible case takes the
first outcome entry that holds. Unknown facts are explored exactly: the ruling
is undetermined only when some completion of the unknowns changes the outcome.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Mapping, TypeVar

from rongcuo_cli.model.case import CaseBase
from rongcuo_cli.model.condition import CONTEXT_PREFIX, public_name
from rongcuo_cli.engine.presumption import PRESUMED_VALUE, presumable_facts
from rongcuo_cli.engine import explore
from rongcuo_cli.engine.explore import explorer, variable_domain  # noqa: F401 (variable_domain re-exported)
from rongcuo_cli.engine.rule_code import TrailKey, compile_rules
from rongcuo_cli.model.ruleset import OutcomeRule
from rongcuo_cli.load.ruleset_loader import CompiledRule, CompiledRuleset
from rongcuo_cli.model.identity_cache import IdentityCache, remember
from rongcuo_cli.model.ruling import OUTCOME_LABELS, Presumed, Presumption, ProcedureStepStatus, Question, Ruling, TrailEntry, describe_range
from rongcuo_cli.model.ruleset import OUTCOME_ORDER
from rongcuo_cli.model.tristate import FALSE, TRUE, UNKNOWN, Tri, all_of, any_of
from rongcuo_cli.model.trusted import trusted
from rongcuo_cli.model.vocabulary import Vocabulary

NOT_TOLERATED = "not_tolerated"
NOTICE = "本结论是依据规则集作出的建议，供办案参考；是否予以容错，由党委（党组）按干部管理权限集体研究决定。"

Results = dict[str, Tri]
M = TypeVar("M")


def environment(case: CaseBase, vocab: Vocabulary) -> dict[str, Any]:
    """The known variables of a case; anything the case does not state is absent."""
    env: dict[str, Any] = case.fact_values  # a new dict each time
    if case.loss is not None:
        env["loss"] = case.loss
    body = case.subject.body
    if body is not None:
        env["body"] = body
    given = case.context
    if given is not None:
        for tag, variable in _context_variables(vocab):
            env[variable] = tag in given
    return env


_context_variables: IdentityCache[Vocabulary, tuple[tuple[str, str], ...]] = IdentityCache(
    lambda vocab: tuple((tag, CONTEXT_PREFIX + tag) for tag in vocab.context.tags), 16
)


class _Plan:
    """What an assessment looks up in a ruleset, flattened once per ruleset (assessing is the hot loop)."""

    def __init__(self, ruleset: CompiledRuleset):
        assert ruleset.graph is not None  # every loaded ruleset has one
        self.graph = ruleset.graph  # each rule evaluated once per case, references read from the scope
        self.exclusions = tuple(r.rule.id for r in ruleset.section("exclusion"))
        self.requirements = tuple(r.rule.id for r in ruleset.section("requirement"))
        self.situations = tuple(r.rule.id for r in ruleset.section("situation"))
        self.outcome_rules = {rule.id: rule for rule in ruleset.outcome_rules()}
        self.outcomes = tuple((rule.id, rule.outcome) for rule in self.outcome_rules.values())
        self.titles = {r.rule.id: r.rule.title for r in ruleset.rules}
        self.requirement_rules = ruleset.section("requirement")
        self.presumable = presumable_facts(ruleset)
        self.source_titles = ruleset.source_titles()
        # Every rule's result and trail key in one call (``rule_code``); per rule of the trail,
        # in the ruleset's order, its own cache of trail entries by key.
        self.evaluate = compile_rules(
            self.graph.order, {c.rule.id: c.rule.when for c in ruleset.rules}, [(c.rule.id, c.reads) for c in ruleset.rules],
            self.graph.evaluate,
        )
        self.trail: tuple[tuple[CompiledRule, dict[TrailKey, TrailEntry]], ...] = tuple((c, {}) for c in ruleset.rules)
        self.trail_caches = tuple(cache for _, cache in self.trail)
        self.trail_at = {c.rule.id: at for at, c in enumerate(ruleset.rules)}
        self.procedure = [_procedure_step(step) for step in ruleset.meta.procedure]
        self.readers = _index_readers(ruleset)
        self.decisions: dict[tuple[Tri, ...], _Decision | _Open] = {}  # see ``_decide``
        self.decisions_kept = 0


_plan: IdentityCache[CompiledRuleset, _Plan] = IdentityCache(_Plan, 64)


def evaluate(ruleset: CompiledRuleset, env: Mapping[str, Any]) -> Results:
    return _plan(ruleset).evaluate(env)[0]


def _stage_values(ruleset: CompiledRuleset, results: Results) -> tuple[Tri, Tri]:
    """(some exclusion holds, the case is eligible)."""
    return _stages(_plan(ruleset), results)


def _stages(plan: _Plan, results: Results) -> tuple[Tri, Tri]:
    value = results.__getitem__
    excluded = any_of(map(value, plan.exclusions))
    required = all_of(map(value, plan.requirements))
    situated = any_of(map(value, plan.situations)) if plan.situations else TRUE
    return excluded, all_of((required, situated))


def possible_outcomes(ruleset: CompiledRuleset, results: Results) -> set[str]:
    """Outcomes reachable given the Kleene results (an over-approximation)."""
    plan = _plan(ruleset)
    return _possible(plan, results, *_stages(plan, results))


def _possible(plan: _Plan, results: Results, excluded: Tri, eligible: Tri) -> set[str]:
    found: set[str] = set()
    if excluded is not FALSE:
        found.add(NOT_TOLERATED)
    if excluded is not TRUE:
        if eligible is not TRUE:
            found.add(NOT_TOLERATED)
        if eligible is not FALSE:
            for rule_id, outcome in plan.outcomes:
                result = results[rule_id]
                if result is not FALSE:
                    found.add(outcome)
                if result is TRUE:
                    break
    return found


def _pending_rules(ruleset: CompiledRuleset, results: Results) -> list[CompiledRule]:
    """Unknown rules in the order they matter to the decision."""
    excluded, eligible = _stage_values(ruleset, results)
    order: list[CompiledRule] = []
    if excluded is Tri.UNKNOWN:
        order += [r for r in ruleset.section("exclusion") if results[r.rule.id] is Tri.UNKNOWN]
    if eligible is Tri.UNKNOWN:
        order += [r for r in ruleset.section("requirement") + ruleset.section("situation") if results[r.rule.id] is Tri.UNKNOWN]
    order += [r for r in ruleset.section("outcome") if results[r.rule.id] is Tri.UNKNOWN]
    return order


def _kleene_missing(ruleset: CompiledRuleset, results: Results, env: Mapping[str, Any]) -> list[str]:
    found: dict[str, None] = {}
    for compiled in _pending_rules(ruleset, results):
        found.update(dict.fromkeys(v for v in compiled.reads_all if v not in env))
    return list(found)


def settle_within_budget(ruleset: CompiledRuleset, vocab: Vocabulary, env: Mapping[str, Any], results: Results) -> tuple[set[str], list[str], bool]:
    """The outcomes reachable from ``env`` (whose results are ``results``), the variables that split them (see ``explore``),
    and whether the search stayed within ``EXPLORATION_BUDGET`` (False: the Kleene over-approximation)."""
    found = possible_outcomes(ruleset, results)
    if len(found) == 1:
        return found, [], True
    explored = explorer(ruleset, vocab).explore(env)
    if explored is None:
        return found, _kleene_missing(ruleset, results, env), False
    found, missing_vars = explored
    return found, ([] if len(found) == 1 else missing_vars), True


def reevaluate(ruleset: CompiledRuleset, results: Results, env: Mapping[str, Any], changed: Iterable[str]) -> Results:
    """Results after ``changed`` variables took new values: only the rules reading them are evaluated again."""
    plan = _plan(ruleset)
    affected: set[str] = set()
    for variable in changed:
        affected.update(plan.readers.get(variable, ()))
    return plan.graph.reevaluate(env, results, affected)


def _index_readers(ruleset: CompiledRuleset) -> dict[str, tuple[str, ...]]:
    """Variable → the ids of the rules that read it, directly or through rule references."""
    index: dict[str, list[str]] = {}
    for compiled in ruleset.rules:
        for variable in compiled.reads_all:
            index.setdefault(variable, []).append(compiled.rule.id)
    return {v: tuple(rules) for v, rules in index.items()}


class _Decision:
    """Where one environment leads: the outcome, the lawful range around it, and what is still missing."""

    def __init__(self, ruleset: CompiledRuleset, vocab: Vocabulary, env: Mapping[str, Any], results: Results):
        plan = _plan(ruleset)
        self.results = results
        excluded, self.eligible = _stages(plan, results)
        found = _possible(plan, results, excluded, self.eligible)
        self.settled = len(found) == 1  # the usual case: the results alone decide, nothing to explore
        if self.settled:
            self.found, missing_vars, self.exact = found, [], True
        else:
            self.found, missing_vars, self.exact = settle_within_budget(ruleset, vocab, env, results)
        self.outcome = next(iter(self.found)) if len(self.found) == 1 else "undetermined"
        self.missing = _public_names(missing_vars, vocab) if missing_vars else []
        self.decided_id = _deciding_outcome_rule(ruleset, results, self.outcome)
        deciding = plan.outcome_rules.get(self.decided_id) if self.decided_id else None
        self.range = deciding.lawful_range if deciding is not None else [self.outcome]
        self.point_reason = deciding.point_reason if deciding is not None else None
        self.matched = [i for i in plan.situations if results[i] is TRUE]
        self.exclusions = [i for i in plan.exclusions if results[i] is TRUE]
        self.possible = [o for o in OUTCOME_ORDER if o in self.found]
        self.reason = _reason(ruleset, results, self.outcome, self.found, self.exclusions, self.matched, self.missing, vocab)
        self.presumption: tuple[list[str], _Decision] | None = None  # see ``_presume``


class _Open:
    """The decisions of one set of results that leaves more than one outcome possible, by what can still move them.

    Such a decision depends on the environment too, but only through the
    variables its undetermined rules read: a rule that Kleene evaluation
    settles stays settled however the unknowns are answered, and exploring,
    the missing facts and the presumption follow the undetermined rules alone.
    So it is kept per the values of those variables (None: not given), and
    for the vocabulary and exploration budget it was worked out under.
    """

    __slots__ = ("variables", "decisions", "made_under")

    def __init__(self, plan: _Plan, results: Results, vocab: Vocabulary):
        reads = plan.graph.reads_all
        self.variables = tuple(dict.fromkeys(v for rule_id, result in results.items() if result is UNKNOWN for v in reads[rule_id]))
        self.decisions: dict[tuple[Any, ...], _Decision] = {}
        self.made_under = (vocab, explore.EXPLORATION_BUDGET)

    def holds_for(self, vocab: Vocabulary) -> bool:
        return self.made_under[0] is vocab and self.made_under[1] == explore.EXPLORATION_BUDGET

    def values(self, env: Mapping[str, Any]) -> tuple[Any, ...]:
        return tuple(map(env.get, self.variables))


def _decide(plan: _Plan, ruleset: CompiledRuleset, vocab: Vocabulary, env: Mapping[str, Any], results: Results) -> _Decision:
    """``_Decision``, shared by every case with the same results where those alone decide (most of a batch),
    and otherwise by every case whose undetermined rules read the same values (see ``_Open``)."""
    key = tuple(results.values())  # in the graph's order, the same for every case
    found = plan.decisions.get(key)
    if isinstance(found, _Decision):
        return found
    if found is not None and found.holds_for(vocab):
        kept = found.decisions.get(found.values(env))
        if kept is not None:
            return kept
    decision = _Decision(ruleset, vocab, env, results)
    _keep(plan, key, decision, vocab, env)
    return decision


def _keep(plan: _Plan, key: tuple[Tri, ...], decision: _Decision, vocab: Vocabulary, env: Mapping[str, Any]) -> None:
    """Keep ``decision``; all of a ruleset's decisions, settled or open, count against one limit."""
    if plan.decisions_kept >= _DECISIONS_LIMIT:  # a pathological stream: start again rather than grow
        plan.decisions.clear()
        plan.decisions_kept = 0
    plan.decisions_kept += 1
    if decision.settled:
        plan.decisions[key] = decision
        return
    found = plan.decisions.get(key)
    if not isinstance(found, _Open) or not found.holds_for(vocab):
        found = plan.decisions[key] = _Open(plan, decision.results, vocab)
    found.decisions[found.values(env)] = decision


_DECISIONS_LIMIT = 1 << 12


def assess(case: CaseBase, ruleset: CompiledRuleset, vocab: Vocabulary) -> Ruling:
    env = environment(case, vocab)
    plan = _plan(ruleset)
    results, trail_keys = plan.evaluate(env)
    decision = _decide(plan, ruleset, vocab, env, results)
    outcome = decision.outcome
    meta = ruleset.meta
    # Every part is of its field's type already (and shared where it repeats): no validation.
    return trusted(Ruling, {
        "case_id": case.case_id,
        "ruleset": ruleset.id,
        "outcome": outcome,
        "matched": list(decision.matched),
        "exclusions": list(decision.exclusions),
        "missing_facts": list(decision.missing),
        "trail": _trail(plan, trail_keys, decision.results, env, decision.decided_id),
        "outcome_range": list(decision.range),
        "case_title": case.title,
        "ruleset_title": meta.title,
        "source_titles": plan.source_titles,
        "outcome_label": OUTCOME_LABELS[outcome],
        "reason": decision.reason,
        "range_text": describe_range(decision.range, outcome),
        "point_reason": decision.point_reason,
        "presumed": _presume(ruleset, vocab, env, decision) if outcome == "undetermined" else None,
        "eligible": decision.eligible,
        "possible_outcomes": list(decision.possible),
        "questions": [_question(vocab, name) for name in decision.missing],
        "result_use": list(meta.result_use.get(outcome, [])) if outcome != "undetermined" else [],  # type: ignore[call-overload]
        "next_steps": list(meta.next_steps.get(outcome, [])),  # type: ignore[call-overload]
        "procedure": list(plan.procedure),
        "notice": NOTICE,
        "overrides": [],
        "decisive_facts": None,
        "what_if": None,
        "measure": None,
        "procedure_alerts": [],
        "version": None,
        "approximate": not decision.exact,
    })


def _question(vocab: Vocabulary, name: str) -> Question:
    return _once(_questions(vocab), name, lambda: Question(fact=name, label=vocab.variable_label(name), question=vocab.question(name)))


def _presumption(vocab: Vocabulary, name: str) -> Presumption:
    """A missing fact presumed absent."""
    return _once(
        _presumptions(vocab), name,
        lambda: Presumption(fact=name, label=vocab.variable_label(name), value=PRESUMED_VALUE, question=vocab.question(name)),
    )


def _once(made: dict[str, M], name: str, build: Callable[[], M]) -> M:
    """One shared object per fact and vocabulary (rulings share them, and ``as_dict`` dumps each once)."""
    found = made.get(name)
    if found is None:
        found = made[name] = build()
    return found


_questions: IdentityCache[Vocabulary, dict[str, Question]] = IdentityCache(lambda vocab: {}, 16)
_presumptions: IdentityCache[Vocabulary, dict[str, Presumption]] = IdentityCache(lambda vocab: {}, 16)


def _presume(ruleset: CompiledRuleset, vocab: Vocabulary, env: Mapping[str, Any], strict: _Decision) -> Presumed:
    """The ruling if each missing exclusion fact is confirmed absent (see ``presumption``)."""
    if strict.presumption is None:  # a function of what the strict decision is kept by (``_Open``): worked out once
        assumed = [name for name in strict.missing if name in _plan(ruleset).presumable]
        presumed_env = {**env, **dict.fromkeys(assumed, PRESUMED_VALUE)}
        presumed = reevaluate(ruleset, strict.results, presumed_env, assumed)
        strict.presumption = assumed, _decide(_plan(ruleset), ruleset, vocab, presumed_env, presumed)
    assumed, decision = strict.presumption
    return trusted(Presumed, {
        "outcome": decision.outcome,
        "outcome_range": list(decision.range),
        "assumptions": [_presumption(vocab, name) for name in assumed],
        "range_text": describe_range(decision.range, decision.outcome),
        "point_reason": decision.point_reason,
        "reason": decision.reason,
        "matched": list(decision.matched),
        "missing_facts": list(decision.missing),
        "possible_outcomes": list(decision.possible),
    })


def _public_names(variables: list[str], vocab: Vocabulary) -> list[str]:
    """Missing variables as the user names them, in vocabulary order."""
    return vocab.in_order(public_name(v) for v in variables)


def _deciding_outcome_rule(ruleset: CompiledRuleset, results: Results, outcome: str) -> str | None:
    if outcome in ("undetermined", NOT_TOLERATED):
        return None
    for rule_id, _ in _plan(ruleset).outcomes:
        if results[rule_id] is Tri.TRUE:
            return rule_id
    return None


# Trail entries repeat across a batch (same rule, same result, same facts read), and
# validating one is most of an assessment's cost: each distinct entry is built once,
# in a cache of its rule. Entries are frozen models, so rulings can share them; the
# JSON is unchanged. The key must cover everything an entry is built from: extend it
# with any new input.
_TRAIL_CACHE_LIMIT = 1 << 11  # entries per rule


_DECIDED = object()  # in a key, for the result of the outcome entry that decided


def _trail(plan: _Plan, keys: tuple[TrailKey, ...], results: Results, env: Mapping[str, Any], decided_id: str | None) -> list[TrailEntry]:
    if decided_id is not None:  # the deciding outcome entry is keyed apart from the same entry not deciding
        at = plan.trail_at[decided_id]
        keys = (*keys[:at], (_DECIDED, *keys[at][1:]), *keys[at + 1:])
    trail: list[Any] = list(map(dict.get, plan.trail_caches, keys))  # each rule's entry, if met before
    if not all(trail):  # an entry not met before (entries are models: always true)
        for at, entry in enumerate(trail):
            if entry is None:
                compiled, cache = plan.trail[at]
                trail[at] = remember(cache, keys[at], _trail_entry(compiled, results, env, decided_id), _TRAIL_CACHE_LIMIT)
    return trail


def _trail_entry(compiled: CompiledRule, results: Results, env: Mapping[str, Any], decided_id: str | None) -> TrailEntry:
    rule = compiled.rule
    return TrailEntry.model_validate({
        "rule": rule.id,
        "kind": compiled.kind,
        "title": rule.title,
        "result": results[rule.id],
        "facts": _facts_read(compiled.reads, env),
        "cites": rule.cites,
        "basis": rule.basis,
        "leans_on": rule.leans_on,
        "origin": compiled.origin.file,
        "note": rule.note,
        "decided": rule.id == decided_id,
        "range": rule.lawful_range if isinstance(rule, OutcomeRule) else None,
        "point_reason": rule.point_reason if isinstance(rule, OutcomeRule) else None,
    })


def _procedure_step(step: Any) -> ProcedureStepStatus:
    """A ruleset's procedure step as a ruling carries it before deadlines are worked out (built once per ruleset)."""
    return ProcedureStepStatus.model_validate(step.model_dump())


def _facts_read(reads: tuple[str, ...], env: Mapping[str, Any]) -> dict[str, Any]:
    if not any(v.startswith(CONTEXT_PREFIX) for v in reads):
        return {variable: env.get(variable) for variable in reads}
    facts: dict[str, Any] = {}
    tags: list[str] = []
    context_known = True
    for variable in reads:
        if variable.startswith(CONTEXT_PREFIX):
            if variable not in env:
                context_known = False
            elif env[variable]:
                tags.append(variable[len(CONTEXT_PREFIX):])
            facts.setdefault("context", None)
        else:
            facts[variable] = env.get(variable)
    if "context" in facts:
        facts["context"] = tags if context_known else None
    return facts


def _titles(ruleset: CompiledRuleset, ids: list[str]) -> str:
    titles = _plan(ruleset).titles
    return "；".join(titles[i] for i in ids)


def _reason(ruleset, results, outcome, found, exclusions, matched, missing, vocab) -> str:
    if outcome == "undetermined":
        options = "、".join(OUTCOME_LABELS[o] for o in OUTCOME_ORDER if o in found)
        return f"尚缺 {len(missing)} 项事实，无法认定；视补充查明的事实，可能为：{options}"
    if exclusions:
        return f"存在不予容错情形：{_titles(ruleset, exclusions)}"
    if outcome == NOT_TOLERATED:
        failed = [r.rule.id for r in ruleset.section("requirement") if results[r.rule.id] is Tri.FALSE]
        if failed:
            return f"不符合容错的一般条件：{_titles(ruleset, failed)}"
        return "不属于本规则集规定的任何容错情形"
    decided = _deciding_outcome_rule(ruleset, results, outcome)
    because = _titles(ruleset, [decided]) if decided else ""
    more = f"等 {len(matched)} 项适用情形" if len(matched) > 1 else ""
    where = f"符合“{_titles(ruleset, matched[:1])}”{more}" if matched else "符合容错条件"
    return f"{where}；{because}" if because else where
