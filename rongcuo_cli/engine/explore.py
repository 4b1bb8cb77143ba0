"""Exploring unknown facts: every outcome a case can still reach, and the facts that split them.

The search, whose results every ruling carries: while Kleene evaluation leaves
more than one outcome possible, split on one unknown variable (the first one
not yet known that the first pending rule reads: undetermined exclusions
while an exclusion may hold, then requirements and situations while
eligibility is open, then outcome entries) and go on in each branch. The
outcomes at the leaves are those the case can reach, the variables split on
anywhere in the tree its missing facts. The search is exact while its tree
has at most ``EXPLORATION_BUDGET`` nodes; past that the caller falls back to
Kleene's over-approximation and the ruling says so.

How it stays fast though the tree is exponential: a state is only what can
still shape its subtree (``key``): the residual of each rule that still
counts (``residual``), whether a situation holds, the first outcome entry
that holds, and which of the variables those rules read are known (the
split order depends on it). A false exclusion or situation, a true
requirement and the outcome entries after one that holds count no more.
States repeat, within one tree and across the many explorations of one
analysis (decisive facts, what-if branches, the table of completions), so
each is explored once per ruleset: its subtree's size, outcomes and split
variables are kept, and a repeated subtree is counted, never walked again,
so the budget keeps its meaning. An answer moves a state by substitution
into residuals, without evaluating any rule again.
"""

from __future__ import annotations

from typing import Any, Callable, Hashable, Mapping, Optional, Union

from rongcuo_cli.engine.residual import Residual, Residuals
from rongcuo_cli.load.ruleset_loader import CompiledRuleset
from rongcuo_cli.model.ruleset import OUTCOME_ORDER
from rongcuo_cli.model.tristate import Tri
from rongcuo_cli.model.vocabulary import Vocabulary

# Exploring unknowns is exact but exponential in the worst case; past this many
# tree nodes the Kleene over-approximation is used (still complete, maybe not minimal).
EXPLORATION_BUDGET = 4096
_REMEMBERED_LIMIT = 1 << 12  # states and residuals kept per ruleset (about half a KiB each); past it the memory starts again
_CACHED_RULESETS = 64

Rules = tuple[tuple[int, Residual], ...]  # (rule position, residual) of each rule that still counts, in order
State = tuple[Rules, Rules, Rules, Rules, bool, int, int]  # exclusions, requirements, situations, outcome entries, situated, first, known
Entry = Optional[tuple[int, int, int]]  # (tree size, outcomes as bits, split variables as bits); None: past the budget

_TRUE, _FALSE = Tri.TRUE, Tri.FALSE


def variable_domain(variable: str, vocab: Vocabulary) -> list[Any]:
    if variable == "loss":
        return list(vocab.loss.levels)
    if variable == "body":
        return list(vocab.body.values)
    return [True, False]


class Explorer:
    """One ruleset's exploration, with every state it has settled."""

    def __init__(self, ruleset: CompiledRuleset, vocab: Vocabulary):
        self.residuals = Residuals(ruleset)
        bit = self.residuals.bit
        self.names = list(bit)  # variable by bit position
        self.domains = {variable: variable_domain(variable, vocab) for variable in bit}
        sections = [ruleset.section(kind) for kind in ("exclusion", "requirement", "situation", "outcome")]
        rules = [compiled for section in sections for compiled in section]
        self.ids = [compiled.rule.id for compiled in rules]
        self.reads = [tuple((v, bit[v]) for v in compiled.reads_all) for compiled in rules]
        self.masks = [sum(bit[v] for v in set(compiled.reads_all)) for compiled in rules]
        self.gives = [1 << OUTCOME_ORDER.index(compiled.rule.outcome) if compiled.kind == "outcome" else 0 for compiled in rules]  # type: ignore[attr-defined]
        starts = [0]
        for section in sections:
            starts.append(starts[-1] + len(section))
        self.positions = [range(starts[at], starts[at + 1]) for at in range(4)]
        self.not_tolerated = 1 << OUTCOME_ORDER.index("not_tolerated")
        self.budget = EXPLORATION_BUDGET  # what the remembered entries were worked out under
        self.memo: dict[Hashable, Entry] = {}

    def size(self) -> int:
        """How much is remembered."""
        return len(self.memo) + len(self.residuals.answered) + len(self.residuals.known)

    def explore(self, env: Mapping[str, Any]) -> tuple[set[str], list[str]] | None:
        """The outcomes reachable from ``env`` and the variables split on; None past the budget."""
        state = self.state(env)
        if isinstance(state, int):
            return _outcomes(state), []
        entry = self._run(state)
        if entry is None:
            return None
        return _outcomes(entry[1]), [name for at, name in enumerate(self.names) if entry[2] >> at & 1]

    def state(self, env: Mapping[str, Any]) -> Union[State, int]:
        """Where ``env`` stands: a state, or the bit of its one possible outcome."""
        residuals, ids = self.residuals.every(env), self.ids
        parts = [tuple((at, residuals[ids[at]]) for at in positions) for positions in self.positions]
        known = 0
        for variable, bit in self.residuals.bit.items():
            if variable in env:
                known |= bit
        return self._state(parts[0], parts[1], parts[2], parts[3], not self.positions[2], 0, known)

    def answer(self, state: Union[State, int], variable: str, value: Any) -> Union[State, int]:
        """``state`` once the unknown ``variable`` has ``value``: the decision of ``_state``, on the rules it changes."""
        bit = self.residuals.bit.get(variable)
        if isinstance(state, int) or bit is None:
            return state
        exclusions, requirements, situations, outcomes, situated, first, known = state
        variables, answered, given = self.residuals.variables, self.residuals.answered, self.residuals.given

        def now(residual: int) -> Residual:
            found = answered.get((residual, variable, value))
            return found if found is not None else given(residual, variable, value)

        # The rules of a state are undetermined (residual ids, never Tri): only those reading ``variable`` change.
        exclusions, settled = _moved(exclusions, bit, variables, now, _TRUE)
        if settled is not None:
            return self.not_tolerated
        requirements, settled = _moved(requirements, bit, variables, now, _FALSE)
        if settled is not None:
            return self.not_tolerated
        moved, settled = _moved(situations, bit, variables, now, _TRUE)
        if settled is not None:
            situated, situations = True, ()
        elif moved is not situations:
            if not situated and not moved:
                return self.not_tolerated
            situations = moved
        outcomes, settled = _moved(outcomes, bit, variables, now, _TRUE)
        if settled is not None:
            first = self.gives[settled]
        answered_state = (exclusions, requirements, situations, outcomes, situated, first, known | bit)
        found = self._possible(answered_state)
        return found if not found & (found - 1) else answered_state

    def outcomes(self, state: Union[State, int]) -> tuple[set[str], bool]:
        """The outcomes reachable from ``state``: exactly (True), or past the budget Kleene's over-approximation (False)."""
        if isinstance(state, int):
            return _outcomes(state), True
        entry = self._run(state)
        if entry is None:
            return _outcomes(self._possible(state)), False
        return _outcomes(entry[1]), True

    def key(self, state: Union[State, int]) -> Hashable:
        """What of ``state`` shapes everything that follows from it: states with one key explore alike."""
        if isinstance(state, int):
            return state
        exclusions, requirements, situations, outcomes, situated, first, known = state
        masks = self.masks
        relevant = 0
        for part in (exclusions, requirements, situations, outcomes):
            for at, _ in part:
                relevant |= masks[at]
        return (exclusions, requirements, situations, outcomes, situated, first, known & relevant)

    def _possible(self, state: State) -> int:
        """The outcomes Kleene evaluation leaves possible in ``state``, as bits."""
        exclusions, requirements, situations, outcomes, _, first, _ = state
        found = first
        for at, _ in outcomes:
            found |= self.gives[at]
        if exclusions or requirements or situations:
            found |= self.not_tolerated
        return found

    def _state(self, exclusions: Rules, requirements: Rules, situations: Rules, outcomes: Rules,
               situated: bool, first: int, known: int) -> Union[State, int]:
        """The state these residuals are in, or, where one outcome is left, that outcome's bit.

        The same decision as ``assess.possible_outcomes``, on residuals.
        """
        open_exclusions = []
        for item in exclusions:
            if item[1] is _TRUE:
                return self.not_tolerated
            if item[1] is not _FALSE:
                open_exclusions.append(item)
        open_requirements = []
        for item in requirements:
            if item[1] is _FALSE:  # not eligible: whether or not an exclusion holds, not tolerated
                return self.not_tolerated
            if item[1] is not _TRUE:
                open_requirements.append(item)
        open_situations: list = []
        if not situated:
            for item in situations:
                if item[1] is _TRUE:
                    situated, open_situations = True, []
                    break
                if item[1] is not _FALSE:
                    open_situations.append(item)
            if not situated and not open_situations:
                return self.not_tolerated
        open_outcomes = []
        gives = self.gives
        for item in outcomes:
            if item[1] is _TRUE:
                first = gives[item[0]]
                break
            if item[1] is not _FALSE:
                open_outcomes.append(item)
        state = (tuple(open_exclusions), tuple(open_requirements), tuple(open_situations), tuple(open_outcomes), situated, first, known)
        found = self._possible(state)
        return found if not found & (found - 1) else state

    def _run(self, state: State) -> Entry:
        key = self.key(state)
        if key in self.memo:
            return self.memo[key]
        self.memo[key] = entry = self._split(state)
        return entry

    def _split(self, state: State) -> Entry:
        exclusions, requirements, situations, outcomes, _, _, known = state
        pending = (exclusions or requirements or situations or outcomes)[0][0]
        chosen = next(((v, b) for v, b in self.reads[pending] if not known & b), None)
        if chosen is None:  # an undetermined rule reads an unknown variable: never, kept as the search always was
            return 1, self._possible(state), 0
        variable, bit = chosen
        size, found, split = 1, 0, bit
        for value in self.domains[variable]:
            child = self.answer(state, variable, value)
            if isinstance(child, int):
                size += 1
                found |= child
            else:
                entry = self._run(child)
                if entry is None:
                    return None
                size += entry[0]
                found |= entry[1]
                split |= entry[2]
            if size > self.budget:
                return None
        return size, found, split


def _moved(parts: tuple, bit: int, variables: list[int], now: Callable[[int], Residual], settles: Tri) -> tuple[tuple, Optional[int]]:
    """``parts`` (position, residual) once the answered variable (``bit``) is put into the rules that read it:
    the parts still open before the first that became ``settles`` (and its position), or all still open (and None).
    A part that became the other value drops out; ``parts`` itself comes back when no rule reads the variable."""
    for _, r in parts:  # to the first rule reading the variable (cheaper than ``any``)
        if variables[r] & bit:
            break
    else:
        return parts, None
    kept = []
    for at, r in parts:
        if variables[r] & bit:
            r = now(r)
            if r is settles:
                return tuple(kept), at
            if r is _TRUE or r is _FALSE:
                continue
        kept.append((at, r))
    return tuple(kept), None


def _outcomes(bits: int) -> set[str]:
    return {outcome for at, outcome in enumerate(OUTCOME_ORDER) if bits >> at & 1}


_EXPLORERS: dict[int, tuple[CompiledRuleset, Vocabulary, Explorer]] = {}


def explorer(ruleset: CompiledRuleset, vocab: Vocabulary) -> Explorer:
    """The ruleset's explorer, with what it remembers (rulesets loaded from many files come and go)."""
    cached = _EXPLORERS.get(id(ruleset))
    if (cached is None or cached[0] is not ruleset or cached[1] is not vocab
            or cached[2].budget != EXPLORATION_BUDGET or cached[2].size() > _REMEMBERED_LIMIT):
        if len(_EXPLORERS) >= _CACHED_RULESETS:
            _EXPLORERS.clear()
        cached = (ruleset, vocab, Explorer(ruleset, vocab))
        _EXPLORERS[id(ruleset)] = cached
    return cached[2]
