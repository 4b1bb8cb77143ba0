"""Find, parse, check, inherit and compile rulesets.

Shipped rulesets are found by id inside the package; a user's own ruleset is
found by path. ``extends`` is resolved here, once, at load time: the engine
only ever sees one flat, compiled ruleset.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, TypeVar, cast

from rongcuo_cli.load import compiled_cache, trusted_source
from rongcuo_cli.load import yaml_source
from rongcuo_cli.model.condition import AllOf, AnyOf, BodyIn, Condition, ContextAny, Evaluator, LossIn, Not, references, variables
from rongcuo_cli.model.diagnostics import Diagnostic, UserError, suggest
from rongcuo_cli.load.resources import rulesets_dir
from rongcuo_cli.model.rule_graph import RuleGraph
from rongcuo_cli.model.safe_text import escape
from rongcuo_cli.model.ruleset import SECTIONS, OutcomeRule, Rule, RuleKind, Ruleset
from rongcuo_cli.load.validation import validate
from rongcuo_cli.model.vocabulary import Vocabulary
from rongcuo_cli.load.vocabulary import load_vocabulary


class UnknownRuleset(UserError):
    """A ruleset name that is neither a shipped id nor a file: a usage error."""


@dataclass(frozen=True)
class Origin:
    ruleset: str
    file: str


@dataclass(frozen=True)
class CompiledRule:
    kind: RuleKind
    rule: Rule
    origin: Origin
    evaluate: Evaluator
    reads: tuple[str, ...]  # variables read directly, context tags as "context:TAG"
    reads_all: tuple[str, ...]  # also those read through rule references
    # Where the rule is written, so a lint finding can point at its line.
    document: yaml_source.Document | None = None
    path: tuple = ()  # e.g. ("situations", 3)


@dataclass(frozen=True)
class CompiledRuleset:
    """A flat ruleset ready for the engine: rules in evaluation order."""

    meta: Ruleset
    files: tuple[str, ...]  # this ruleset's file, then its ancestors'
    rules: tuple[CompiledRule, ...]
    by_kind: dict[str, tuple[CompiledRule, ...]] = field(default_factory=dict)
    # Each file of the chain with what it says, root ancestor first (for lint).
    sources: tuple[tuple[yaml_source.Document, Ruleset], ...] = ()
    # The rules in dependency order, for evaluating every rule of a case once (engine).
    graph: RuleGraph | None = None
    # The files read, as opened (``files`` names shipped ones as rulesets/ID.yaml): no output may replace one.
    paths: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return self.meta.id

    def section(self, kind: RuleKind) -> tuple[CompiledRule, ...]:
        return self.by_kind.get(kind, ())

    def source_titles(self) -> dict[str, str]:
        """Seed file → the document it holds (the title of the ruleset that encodes it), for citing by title."""
        return {source: layer.title for _, layer in self.sources for source in layer.source if source.endswith(".txt")}

    def outcome_rules(self) -> tuple[OutcomeRule, ...]:
        """The outcome entries in order, typed as what the loader made them."""
        return tuple(cast(OutcomeRule, compiled.rule) for compiled in self.section("outcome"))


def shipped_ids() -> list[str]:
    folder = rulesets_dir()
    return sorted(
        entry.name[: -len(".yaml")]
        for entry in folder.iterdir()
        if entry.name.endswith(".yaml") and not entry.name.startswith("_")
    )


def load_ruleset(name: str) -> CompiledRuleset:
    """Load a shipped ruleset by id, or a user's ruleset file by path."""
    return _load_cached(name, str(Path.cwd()) if looks_like_path(name) else "")


@lru_cache(maxsize=32)
def _load_cached(name: str, cwd: str) -> CompiledRuleset:
    """Once per process; across processes through ``compiled_cache`` (see there why it is safe)."""
    identity = ("ruleset", name, cwd, str(rulesets_dir()))
    hit = compiled_cache.lookup(identity)
    if hit is not None and isinstance(hit.value, StoredRuleset):
        try:
            return _assemble(hit.value, hit.files)
        except Exception:  # an entry whose parts do not fit together is a miss like any other
            pass
    compiled, stored = _load_uncached(name, cwd)
    if stored is not None:
        compiled_cache.store(identity, stored, _digests(stored))
    return compiled


def _load_uncached(name: str, cwd: str) -> tuple[CompiledRuleset, StoredRuleset | None]:
    """The ruleset read, checked and compiled from its files, and what the cache may keep of it."""
    doc, meta, layers = _load_chain(name, base=Path(cwd) if cwd else None, stack=())
    merged, flat = _checked_merge(doc, layers)
    stored = None
    # A file found relative to the working folder while the identity has none (a shipped
    # ruleset extending a relative path) could be another file elsewhere: not kept.
    if cwd or all(Path(layer.path).is_absolute() for layer in layers):
        index = {id(layer): i for i, layer in enumerate(layers)}  # by identity: comparing documents would parse them
        stored = StoredRuleset(
            layers=tuple(StoredLayer(file=l.doc.file, path=l.path, source=os.path.abspath(l.path), digest=l.digest, ruleset=l.ruleset, origin=l.origin) for l in layers),
            meta=flat,
            merged=tuple((section, tuple((rule, index[id(layer)], path) for rule, layer, path in entries)) for section, entries in merged.items()),
        )
    return _compile(flat, merged, layers), stored


@dataclass(frozen=True)
class StoredLayer:
    """One file of a ruleset's chain as the cache keeps it (the text itself is read again to check its digest)."""

    file: str  # as diagnostics name it
    path: str  # as opened
    source: str  # absolute, for the cache to read again
    digest: str
    ruleset: Ruleset
    origin: Origin


@dataclass(frozen=True)
class StoredRuleset:
    """What the cache keeps of a loaded ruleset: validated and merged, without compiled conditions (closures)."""

    layers: tuple[StoredLayer, ...]  # root ancestor first
    meta: Ruleset
    merged: tuple[tuple[str, tuple[tuple[Rule, int, tuple], ...]], ...]  # section → (rule, layer index, path)


def _digests(stored: StoredRuleset) -> dict[str, str]:
    """Every file the ruleset depends on: its chain, the vocabulary its names were checked against, the ladders."""
    from rongcuo_cli.load.resources import shipped_digest
    from rongcuo_cli.load.vocabulary import VOCABULARY_FILE

    found = {layer.source: layer.digest for layer in stored.layers}
    for name in (VOCABULARY_FILE, "_ladders.yaml"):
        found.update(shipped_digest(name))
    return found


def _assemble(stored: StoredRuleset, files: dict[str, bytes]) -> CompiledRuleset:
    """A ruleset from the cache: documents parsed only if a diagnostic needs them, conditions compiled anew."""
    layers = [
        _Layer(doc=trusted_source.LazyDocument(s.file, files[s.source]), ruleset=s.ruleset, origin=s.origin, path=s.path, digest=s.digest)
        for s in stored.layers
    ]
    merged = {section: [(rule, layers[index], path) for rule, index, path in entries] for section, entries in stored.merged}
    return _compile(stored.meta, merged, layers)


def looks_like_path(name: str) -> bool:
    """A ruleset named by file rather than by shipped id."""
    return name.endswith(yaml_source.YAML_SUFFIXES) or "/" in name or "\\" in name


@dataclass
class _Layer:
    doc: yaml_source.Document
    ruleset: Ruleset
    origin: Origin
    path: str
    digest: str  # of the bytes read, for the cache


def _read(name: str, base: Path | None) -> tuple[yaml_source.Document, Path | None, str, str]:
    """The document, the folder its relative references start from, the file's real path and the digest of its bytes."""
    if looks_like_path(name):
        path = Path(name)
        if not path.is_absolute() and base is not None:
            path = base / path
        # libyaml first, positions only if a diagnostic needs them (a user's ruleset is read like
        # a shipped one; ``fast_source`` defers to the round-trip loader on anything the limits judge).
        raw = yaml_source.read_bytes(path)
        doc = trusted_source.parse(yaml_source.decode(raw, str(path)), str(path))
        return doc, path.parent, str(path), compiled_cache.digest(raw)
    if name in shipped_ids():
        resource = rulesets_dir() / f"{name}.yaml"
        raw = resource.read_bytes()
        return trusted_source.parse(raw.decode("utf-8"), f"rulesets/{name}.yaml"), None, str(resource), compiled_cache.digest(raw)
    known = shipped_ids()
    hint = suggest(name, known)
    message = f"未知的规则集 `{name}`；已有：{'、'.join(known)}"
    raise UnknownRuleset([Diagnostic(file=name, code="unknown-ruleset", message=message, hint=hint or "也可以用 --ruleset 给出规则集文件的路径")])


def _load_chain(name: str, base: Path | None, stack: tuple[str, ...]) -> tuple[yaml_source.Document, Ruleset, list[_Layer]]:
    """Load ``name`` and its ancestors; the list runs from the root ancestor down."""
    doc, folder, read_from, digest = _read(name, base)
    ruleset = validate(Ruleset, doc, context="规则集")
    problems = check_vocabulary(ruleset, doc, load_vocabulary()) + _check_duplicates(ruleset, doc)
    if problems:
        raise UserError(problems)
    layers: list[_Layer] = []
    # Why the id is checked too: a parent named by path is only known by its id once read.
    if ruleset.extends and (ruleset.id in stack or ruleset.extends in stack or ruleset.extends == ruleset.id):
        chain = " → ".join(stack + (ruleset.id,) + (() if ruleset.id in stack else (ruleset.extends,)))
        raise UserError([doc.diagnostic(("extends",), "extends-cycle", f"规则集继承形成循环：{chain}", "去掉其中一处 extends")])
    if ruleset.extends:
        _, _, layers = load_referenced(ruleset.extends, doc, ("extends",), lambda: _load_chain(ruleset.extends, folder, stack + (ruleset.id,)))
    layers.append(_Layer(doc=doc, ruleset=ruleset, origin=Origin(ruleset=ruleset.id, file=doc.file), path=read_from, digest=digest))
    return doc, ruleset, layers


# Problems about the references themselves, which quote nothing but the reference: passed on as they are.
_REFERENCE_CODES = frozenset({"extends-cycle", "unknown-parent", "invalid-parent", "ruleset-reference"})
T = TypeVar("T")


def load_referenced(name: str, doc: yaml_source.Document, where: tuple, load: Callable[[], T]) -> T:
    """Load a ruleset that a ruleset names (``extends``, ``versions``), with the problems reported at ``where``.

    Why so strict: a ruleset may come from anyone. Its references resolve only
    to a shipped id or a ``.yaml``/``.yml`` file (read with the limits of any
    input file), and a file that does not load as a ruleset is reported by
    position and problem code only: its content (``/etc/passwd``,
    ``/proc/self/environ``) is never quoted.
    """
    key = where[0]
    if looks_like_path(name) and not name.lower().endswith(yaml_source.YAML_SUFFIXES):
        raise UserError([doc.diagnostic(where, "ruleset-reference", f"{key} 只能写规则集编号或 .yaml/.yml 文件，`{escape(name)}` 都不是",
                                        "写随工具提供的规则集编号（如 national），或相对本文件的 .yaml 路径")])
    try:
        return load()
    except UserError as exc:
        first = exc.diagnostics[0]
        if isinstance(exc, UnknownRuleset) or first.code == "not-found":
            raise UserError([doc.diagnostic(where, "unknown-parent", f"{key} 指向未知的规则集 `{escape(name)}`", first.hint)]) from None
        if all(d.code in _REFERENCE_CODES for d in exc.diagnostics):
            raise
        places = "、".join(f"第 {d.line or '?'} 行第 {d.column or '?'} 列 [{d.code}]" for d in exc.diagnostics[:5])
        more = f" 等 {len(exc.diagnostics)} 处" if len(exc.diagnostics) > 5 else ""
        raise UserError([doc.diagnostic(where, "invalid-parent", f"{key} 指向的 `{escape(name)}` 不能作为规则集读取：{places}{more}",
                                        f"单独检查该文件：rongcuo validate --ruleset {escape(name)}")]) from None


def check_vocabulary(ruleset: Ruleset, doc: yaml_source.Document, vocab: Vocabulary) -> list[Diagnostic]:
    """Every fact, loss level, tag and body a condition names must be in the vocabulary."""
    found: list[Diagnostic] = []
    for section in SECTIONS:
        for index, rule in enumerate(getattr(ruleset, section)):
            if rule.when is not None:
                found.extend(_check_condition(rule.when, (section, index, "when"), doc, vocab))
    return found


def _check_condition(cond: Condition, path: tuple, doc: yaml_source.Document, vocab: Vocabulary) -> list[Diagnostic]:
    if isinstance(cond, str):
        if cond in vocab.facts:
            return []
        return [doc.diagnostic(path, "unknown-fact", f"未知的事实 `{cond}`", suggest(cond, vocab.facts) or "事实须在 rulesets/_vocabulary.yaml 中定义")]
    if isinstance(cond, (AllOf, AnyOf)):
        key = "all" if isinstance(cond, AllOf) else "any"
        items = cond.all if isinstance(cond, AllOf) else cond.any
        return [d for i, c in enumerate(items) for d in _check_condition(c, path + (key, i), doc, vocab)]
    if isinstance(cond, Not):
        return _check_condition(cond.not_, path + ("not",), doc, vocab)
    members = {
        LossIn: ("loss", vocab.loss.levels, "损失档次"),
        ContextAny: ("context", vocab.context.tags, "情境标签"),
        BodyIn: ("body", vocab.body.values, "主体类型"),
    }
    if type(cond) in members:
        key, allowed, label = members[type(cond)]
        return [
            doc.diagnostic(path + (key, i), "unknown-value", f"未知的{label} `{value}`", suggest(value, allowed) or f"允许：{'、'.join(allowed)}")
            for i, value in enumerate(getattr(cond, key))
            if value not in allowed
        ]
    return []


def _check_duplicates(ruleset: Ruleset, doc: yaml_source.Document) -> list[Diagnostic]:
    seen: dict[str, str] = {}
    found = []
    for section in SECTIONS:
        for index, rule in enumerate(getattr(ruleset, section)):
            if rule.id in seen:
                found.append(doc.diagnostic((section, index, "id"), "duplicate-rule", f"规则编号 `{rule.id}` 重复（已在 {seen[rule.id]} 中使用）", "每条规则的编号须唯一"))
            seen.setdefault(rule.id, section)
    return found


def _merge(layers: list[_Layer]) -> tuple[dict[str, list[tuple[Rule, _Layer, tuple]]], Ruleset]:
    """Child rules replace same-id parent rules in place; new ones are appended.

    Why new *outcome* entries go before the inherited ones instead: the first
    outcome entry that holds wins, so a region's own, more specific mapping
    must be tried before the baseline it refines (whose fallback stays last).
    """
    merged: dict[str, list[tuple[Rule, _Layer, tuple]]] = {section: [] for section in SECTIONS}
    for layer in layers:
        removed = set(layer.ruleset.remove)
        inherited = {entry[0].id for entries in merged.values() for entry in entries}
        unknown = [
            layer.doc.diagnostic(("remove", i), "unknown-rule", f"remove 列出的规则 `{rule_id}` 不在继承的规则中", suggest(rule_id, inherited))
            for i, rule_id in enumerate(layer.ruleset.remove) if rule_id not in inherited
        ]
        if unknown:
            raise UserError(unknown)
        for section in SECTIONS:
            merged[section] = [entry for entry in merged[section] if entry[0].id not in removed]
        for section in SECTIONS:
            inserted = 0
            for index, rule in enumerate(getattr(layer.ruleset, section)):
                entry = (rule, layer, (section, index))
                for other in SECTIONS:
                    merged[other] = [e for e in merged[other] if e[0].id != rule.id or other == section]
                slots = [i for i, e in enumerate(merged[section]) if e[0].id == rule.id]
                if slots:
                    merged[section][slots[0]] = entry
                elif section == "outcomes":
                    merged[section].insert(inserted, entry)
                    inserted += 1
                else:
                    merged[section].append(entry)
    top = layers[-1].ruleset
    result_use: dict = {}
    next_steps: dict = {}
    procedure: list = []
    for layer in layers:
        result_use.update(layer.ruleset.result_use)
        next_steps.update(layer.ruleset.next_steps)
        procedure = list(layer.ruleset.procedure) or procedure
    flat = top.model_copy(update={
        section: [entry[0] for entry in merged[section]] for section in SECTIONS
    } | {"result_use": result_use, "next_steps": next_steps, "procedure": procedure})
    return merged, flat


def _checked_merge(doc: yaml_source.Document, layers: list[_Layer]) -> tuple[dict[str, list[tuple[Rule, _Layer, tuple]]], Ruleset]:
    """The chain merged (``_merge``), with an outcome fallback and every rule reference known."""
    merged, flat = _merge(layers)
    where = {rule.id: (layer.doc, path) for entries in merged.values() for rule, layer, path in entries}
    problems: list[Diagnostic] = []
    outcomes = merged["outcomes"]
    if not outcomes:
        problems.append(doc.diagnostic(("outcomes",), "no-outcomes", "规则集没有处理结果映射 outcomes", "至少写一项无条件的兜底结果"))
    elif outcomes[-1][0].when is not None:
        rule, layer, path = outcomes[-1]
        problems.append(layer.doc.diagnostic(path + ("when",), "outcome-gap", f"处理结果映射的最后一项 `{rule.id}` 带有条件，符合容错条件的案件可能得不到任何结果", "最后一项去掉 when，作为兜底结果"))
    known = set(where)
    for entries in merged.values():
        for rule, layer, path in entries:
            for ref in references(rule.when):
                if ref not in known:
                    problems.append(layer.doc.diagnostic(path + ("when",), "unknown-rule", f"条件引用了不存在的规则 `{ref}`", suggest(ref, known)))
    if problems:
        raise UserError(problems)
    return merged, flat


def _compile(flat: Ruleset, merged: dict[str, list[tuple[Rule, _Layer, tuple]]], layers: list[_Layer]) -> CompiledRuleset:
    """The engine's form of a merged, checked chain: rules in evaluation order, conditions compiled."""
    where = {rule.id: (layer.doc, path) for entries in merged.values() for rule, layer, path in entries}
    rules = {rule.id: rule for entries in merged.values() for rule, _, _ in entries}
    graph = RuleGraph.build(rules, lambda rule_id, cycle: _cycle_error(where[rule_id], cycle))
    ordered: list[CompiledRule] = []
    for section, kind in SECTIONS.items():
        for rule, layer, path in merged[section]:
            ordered.append(CompiledRule(
                kind=kind, rule=rule, origin=layer.origin, evaluate=graph.entry(rule.id),
                reads=tuple(variables(rule.when)), reads_all=graph.reads_all[rule.id],
                document=layer.doc, path=path,
            ))
    by_kind = {kind: tuple(r for r in ordered if r.kind == kind) for kind in SECTIONS.values()}
    files = tuple(layer.doc.file for layer in reversed(layers))
    sources = tuple((layer.doc, layer.ruleset) for layer in layers)
    paths = tuple(layer.path for layer in reversed(layers))
    return CompiledRuleset(meta=flat, files=files, rules=tuple(ordered), by_kind=by_kind, sources=sources, graph=graph, paths=paths)


def _cycle_error(where: tuple[yaml_source.Document, tuple], cycle: list[str]) -> UserError:
    doc, path = where
    return UserError([doc.diagnostic(path + ("when",), "rule-cycle", f"规则引用形成循环：{' → '.join(cycle)}", "去掉其中一处 rule 引用")])


def all_shipped() -> list[CompiledRuleset]:
    return [load_ruleset(name) for name in shipped_ids()]

