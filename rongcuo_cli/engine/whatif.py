"""What would change the ruling: overridden facts, decisive facts, and answers that settle it.

Everything here is evaluated, never guessed: an outcome that stays open is
explored exactly as the ruling's own (``explore``), each answer moving the
explorer's state, so an analysis shares every state it meets once.
"""

from __future__ import annotations

from functools import cached_property
from math import prod
from typing import Any, Mapping

from rongcuo_cli.model.case import CaseBase

from rongcuo_cli.load.case_file import case_model
from rongcuo_cli.load.validation import validate
from rongcuo_cli.load.yaml_source import Document
from rongcuo_cli.model.condition import CONTEXT_PREFIX, public_name
from rongcuo_cli.model.diagnostics import Diagnostic, UserError, suggest
from rongcuo_cli.engine.assess import evaluate, possible_outcomes, reevaluate
from rongcuo_cli.engine.explore import Explorer, explorer
from rongcuo_cli.engine.fewest import Table
from rongcuo_cli.load.ruleset_loader import CompiledRuleset
from rongcuo_cli.model.ruling import OUTCOME_LABELS, Answer, Branch, DecisiveFact, Override, Settlement, WhatIf
from rongcuo_cli.model.ruleset import OUTCOME_ORDER
from rongcuo_cli.engine.versions import pick
from rongcuo_cli.model.vocabulary import FACT_WORDS, Vocabulary

OVERRIDE_SOURCE = "--set"
TOLERATED = ("waived", "reduced", "lighter")
# The fewest-answers search tabulates every completion of the missing facts;
# past this many completions it is not attempted (the ruling then says so).
TABLE_LIMIT = 4096
# --set takes what a case file takes (true/false, 是/否), and yes/no, which are unambiguous on a command line.
_TRUE = {"true": True, "yes": True, "false": False, "no": False, **{w: v for w, v in FACT_WORDS.items() if v is not None}}
_UNKNOWN = {"", "unknown", "未知", "null", *(w for w, v in FACT_WORDS.items() if v is None)}
_EMPTY_LIST = "[]"

Outcome = tuple[str, tuple[str, ...]]  # (outcome, possible outcomes in display order)


# --- overrides (--set fact=value) -------------------------------------------

def parse_overrides(specs: list[str], vocab: Vocabulary) -> dict[str, Any]:
    """``name=value`` pairs as values a case file could hold; None means unknown."""
    found: dict[str, Any] = {}
    problems: list[Diagnostic] = []
    names = vocab.public_names
    for spec in specs:
        name, sep, raw = spec.partition("=")
        name, raw = name.strip(), raw.strip()
        if not sep:
            problems.append(_problem(spec, "set-syntax", f"`{spec}` 应写成 事实=取值", "例如 --set collective_decision=false 或 --set loss=moderate"))
        elif name not in names:
            problems.append(_problem(spec, "unknown-fact", f"未知的事实 `{name}`", suggest(name, names) or "事实见 rulesets/_vocabulary.yaml"))
        else:
            try:
                found[name] = None if raw.lower() in _UNKNOWN else _PARSERS[_kind(name)](raw, name, vocab)
            except ValueError as bad:
                problems.append(_problem(spec, "set-value", f"`{name}` 的取值 `{raw}` 不合法", str(bad)))
    if problems:
        raise UserError(problems)
    return found


def _problem(spec: str, code: str, message: str, hint: str | None) -> Diagnostic:
    return Diagnostic(file=f"{OVERRIDE_SOURCE} {spec}", code=code, message=message, hint=hint)


def _kind(name: str) -> str:
    return name if name in ("loss", "context", "body") else "fact"


def _parse_fact(raw: str, name: str, vocab: Vocabulary) -> bool:
    if raw.lower() not in _TRUE:
        raise ValueError("事实只能取 是、否（或 true 或 false）；写 `=` 或 `=不清楚` 表示未知")
    return _TRUE[raw.lower()]


def _parse_member(raw: str, name: str, vocab: Vocabulary) -> str:
    """A loss level or body kind as the case file writes it (id, Chinese label or alias), as its id."""
    spellings = vocab.spellings(name)
    if raw not in spellings:
        raise ValueError(vocab.choice_hint(name, raw) or "允许：" + vocab.allowed_text(name))
    return spellings[raw]


def _parse_context(raw: str, name: str, vocab: Vocabulary) -> list[str]:
    if raw == _EMPTY_LIST:
        return []
    tags = [t.strip() for t in raw.replace("，", ",").split(",") if t.strip()]
    return [_parse_member(tag, name, vocab) for tag in tags]


_PARSERS = {"fact": _parse_fact, "loss": _parse_member, "body": _parse_member, "context": _parse_context}


def apply_overrides(case: CaseBase, overrides: Mapping[str, Any], vocab: Vocabulary) -> tuple[CaseBase, list[Override]]:
    """The case with the overridden facts, validated again like a case file."""
    names = vocab.public_names
    unknown = [
        _problem(f"{name}=…", "unknown-fact", f"未知的事实 `{name}`", suggest(name, names) or "事实见 rulesets/_vocabulary.yaml")
        for name in overrides if name not in names
    ]
    if unknown:
        raise UserError(unknown)
    data = case.model_dump()
    changes: list[Override] = []
    for name, value in overrides.items():
        holder, key = _slot(data, name)
        changes.append(Override(fact=name, label=vocab.variable_label(name), was=holder.get(key), now=value))
        holder[key] = value
    # Validated like a case file, so a bad value (from the Python API's ``overrides``) is a
    # UserError with a hint, never a raw validation error; it stands in no file, so no line.
    try:
        changed = validate(case_model(), Document(file=OVERRIDE_SOURCE, data=data), context="案件")
    except UserError as exc:
        raise UserError([d.model_copy(update={"line": None, "column": None}) for d in exc.diagnostics]) from None
    return changed, changes


def _slot(data: dict, name: str) -> tuple[dict, str]:
    if name == "body":
        return data["subject"], "body"
    if name in ("loss", "context"):
        return data, name
    return data["facts"], name


# --- decisive facts and what-if ---------------------------------------------

class _Probe:
    """Outcomes of an environment with some public variables changed.

    ``chain`` is the version in force and the later ones (see ``versions``):
    a changed fact may change which version applies, so each is evaluated.
    """

    def __init__(self, chain: list[CompiledRuleset], vocab: Vocabulary, env: Mapping[str, Any]):
        self.chain, self.vocab, self.env = chain, vocab, dict(env)
        self.results = [evaluate(ruleset, self.env) for ruleset in chain]
        read = {v for ruleset in chain for rule in ruleset.rules for v in rule.reads_all}
        self.tags = [t for t in vocab.context.tags if CONTEXT_PREFIX + t in read]
        self.read_public = {public_name(v) for v in read}
        self.explorers = [explorer(ruleset, vocab) for ruleset in chain]

    def _changed(self, assignment: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
        env = dict(self.env)
        changed: list[str] = []
        for name, value in assignment.items():
            for variable, new in self._variables(name, value).items():
                changed.append(variable)
                if new is None:
                    env.pop(variable, None)
                else:
                    env[variable] = new
        return env, changed

    def possible(self, assignment: Mapping[str, Any]) -> tuple[str, ...]:
        """The outcomes the version in force still allows, by Kleene evaluation alone: cheap, maybe more than ``outcome``."""
        env, changed = self._changed(assignment)
        found = possible_outcomes(self.chain[0], reevaluate(self.chain[0], self.results[0], env, changed))
        return tuple(o for o in OUTCOME_ORDER if o in found)

    def outcome(self, assignment: Mapping[str, Any]) -> Outcome:
        changes = [(variable, new) for name, value in assignment.items() for variable, new in self._variables(name, value).items()]
        if all(new is not None and variable not in self.env for variable, new in changes):
            # Only unknown facts answered (what-if): the explorers' states move by the answers.
            states = self.roots
            for variable, new in changes:
                states = [explorer.answer(state, variable, new) for explorer, state in zip(self.explorers, states)]
            return self._settled(states)
        env, _ = self._changed(assignment)
        return self._settled([explorer.state(env) for explorer in self.explorers])

    def _settled(self, states: list[Any]) -> Outcome:
        """The outcome of the applicable version, each version being in its explorer's state."""
        outcomes = []
        for explorer, state in zip(self.explorers, states):
            found, _ = explorer.outcomes(state)
            possible = tuple(o for o in OUTCOME_ORDER if o in found)
            outcomes.append(((possible[0] if len(possible) == 1 else "undetermined"), possible))
        return outcomes[pick([o[0] for o in outcomes])]

    def tabulate(self, names: list[str], domains: list[list[Any]]) -> dict[str, int]:
        """Outcome → the completions of ``names`` that have it, as bits (positions in ``product`` order).

        Why not one ``outcome`` per completion: answers move the explorers'
        states, and the completions below two prefixes in the same states have
        the same outcomes, so each such table is worked out once; once every
        version's outcome is certain (a state that is a single outcome), all
        completions below share it.
        """
        widths = [prod(len(d) for d in domains[at:]) for at in range(len(names) + 1)]
        tables: dict[tuple, dict[str, int]] = {}

        def table(depth: int, states: list[Any]) -> dict[str, int]:
            if depth == len(names) or all(isinstance(state, int) for state in states):
                return {self._settled(states)[0]: (1 << widths[depth]) - 1}
            key = (depth, *(explorer.key(state) for explorer, state in zip(self.explorers, states)))
            found = tables.get(key)
            if found is None:
                found = tables[key] = {}
                for index, value in enumerate(domains[depth]):
                    answered = [self._answered(explorer, state, names[depth], value) for explorer, state in zip(self.explorers, states)]
                    for outcome, bits in table(depth + 1, answered).items():
                        found[outcome] = found.get(outcome, 0) | bits << index * widths[depth + 1]
            return found

        return table(0, self.roots)

    @cached_property
    def roots(self) -> list[Any]:
        """Each version's explorer state for the environment as it is."""
        return [explorer.state(self.env) for explorer in self.explorers]

    def _answered(self, explorer: Explorer, state: Any, name: str, value: Any) -> Any:
        for variable, new in self._variables(name, value).items():
            state = explorer.answer(state, variable, new)
        return state

    def _variables(self, name: str, value: Any) -> dict[str, Any]:
        if name != "context":
            return {name: value}
        return {CONTEXT_PREFIX + t: (None if value is None else t in value) for t in self.vocab.context.tags}

    def current(self, name: str) -> Any:
        if name == "context":
            if CONTEXT_PREFIX + next(iter(self.vocab.context.tags)) not in self.env:
                return None
            return [t for t in self.vocab.context.tags if self.env.get(CONTEXT_PREFIX + t)]
        return self.env.get(name)

    def alternatives(self, name: str, value: Any) -> list[Any]:
        """Every value one change away from ``value`` (for context: one tag added or removed)."""
        if name == "context":
            return [sorted(set(value) ^ {t}, key=list(self.vocab.context.tags).index) for t in self.tags]
        return [v for v in self.domain(name) if v != value]

    def domain(self, name: str) -> list[Any]:
        if name == "loss":
            return list(self.vocab.loss_levels)
        if name == "body":
            return list(self.vocab.body.values)
        if name == "context":
            return [[t] for t in self.tags] + [[]]
        return [True, False]


def value_label(name: str, value: Any, vocab: Vocabulary) -> str:
    if value is None:
        return "未知"
    if isinstance(value, bool):
        return "是" if value else "否"
    if name == "loss":
        return vocab.loss.levels.get(value, value)
    if name == "body":
        return vocab.body.values.get(value, value)
    if isinstance(value, list):
        return "、".join(vocab.context.tags.get(t, t) for t in value) or "（不含所列情境）"
    return str(value)


def _outcome_text(outcome: Outcome) -> str:
    name, possible = outcome
    if name == "undetermined":
        return "待定（可能为 " + "、".join(OUTCOME_LABELS[o] for o in possible) + "）"
    return OUTCOME_LABELS[name]


def _change_text(name: str, value: Any, alternative: Any, vocab: Vocabulary) -> str:
    if name == "context":
        (tag,) = set(value) ^ set(alternative)
        return f"context {'增加' if tag in alternative else '去掉'} {tag}（{vocab.context.tags[tag]}）"
    return f"{name} 为 {value_label(name, alternative, vocab)}"


def decisive_facts(chain: list[CompiledRuleset], vocab: Vocabulary, env: Mapping[str, Any], base: Outcome) -> list[DecisiveFact]:
    """Each known fact whose single change gives another outcome, with that outcome."""
    probe = _Probe(chain, vocab, env)
    found: list[DecisiveFact] = []
    for name in vocab.public_names:
        value = probe.current(name)
        if value is None or name not in probe.read_public:
            continue
        for alternative in probe.alternatives(name, value):
            result = probe.outcome({name: alternative})
            if result != base:
                found.append(DecisiveFact(
                    fact=name, label=vocab.variable_label(name), value=value, alternative=alternative,
                    outcome=result[0], possible_outcomes=list(result[1]),
                    text=f"若 {_change_text(name, value, alternative, vocab)} → {_outcome_text(result)}",
                ))
    return found


def branch_possibilities(chain: list[CompiledRuleset], vocab: Vocabulary, env: Mapping[str, Any], names: list[str]) -> dict[str, list[tuple[str, ...]]]:
    """For each named missing fact: the outcomes still possible after each of its values (Kleene, no exploration).

    Why not the exact ``outcome``: ordering questions needs every missing fact's
    branches at every step; exploring each costs about a second per question.
    """
    probe = _Probe(chain, vocab, env)
    return {name: [probe.possible({name: value}) for value in probe.domain(name)] for name in names}


def what_if(chain: list[CompiledRuleset], vocab: Vocabulary, env: Mapping[str, Any], missing: list[str]) -> WhatIf:
    """For an undetermined ruling: each missing fact's values, and the fewest answers that settle it."""
    probe = _Probe(chain, vocab, env)
    branches = []
    for name in missing:
        for value in probe.domain(name):
            result = probe.outcome({name: value})
            branches.append(Branch(fact=name, label=vocab.variable_label(name), value=value, value_label=value_label(name, value, vocab),
                                   outcome=result[0], possible_outcomes=list(result[1])))
    settled = _fewest_answers(probe, missing)
    if settled is None:
        note = f"缺失事实的答案组合超过 {TABLE_LIMIT} 种，未计算最少需要查明哪些事实"
        return WhatIf(branches=branches, settle_favourably=None, settle_unfavourably=None, searched=False, note=note)
    return WhatIf(branches=branches, settle_favourably=settled[0], settle_unfavourably=settled[1], searched=True)


def _fewest_answers(probe: _Probe, missing: list[str]) -> tuple[Settlement | None, Settlement | None] | None:
    """The smallest sets of answers that settle the case each way (most lenient first), from the table of completions."""
    domains = [probe.domain(n) for n in missing]
    if prod(len(d) for d in domains) > TABLE_LIMIT:
        return None
    table = Table(probe.tabulate(missing, domains), [len(d) for d in domains])
    found = []
    for outcomes in (sorted(TOLERATED, key=OUTCOME_ORDER.index), ["not_tolerated"]):
        settled = table.fewest(outcomes)
        found.append(None if settled is None else {missing[at]: domains[at][value] for at, value in settled[1].items()})
    return _settlement(probe, found[0]), _settlement(probe, found[1])


def _settlement(probe: _Probe, assignment: dict[str, Any] | None) -> Settlement | None:
    if assignment is None:
        return None
    outcome, _ = probe.outcome(assignment)
    answers = [Answer(fact=n, label=probe.vocab.variable_label(n), value=v, value_label=value_label(n, v, probe.vocab)) for n, v in assignment.items()]
    said = "，".join(f"{a.fact} 为 {a.value_label}" for a in answers)
    return Settlement(answers=answers, outcome=outcome, text=f"查明 {said} → {OUTCOME_LABELS[outcome]}")
