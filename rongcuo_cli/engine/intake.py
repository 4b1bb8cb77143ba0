"""Writing a case by answering questions (``rongcuo new``): which question next, and what an answer means.

Why here and pure: the order is the engine's own analysis — only facts among
the current ruling's ``missing_facts`` can still change the outcome, and of
those the one whose answers lead to the most different outcomes is asked
first — so it is tested without a terminal; the command line only prompts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from rongcuo_cli.engine.advice import advise
from rongcuo_cli.engine.assess import environment
from rongcuo_cli.engine.versions import applicable
from rongcuo_cli.engine.whatif import branch_possibilities
from rongcuo_cli.load.case_file import case_from_data
from rongcuo_cli.load.ruleset_loader import CompiledRuleset
from rongcuo_cli.model.condition import public_name
from rongcuo_cli.model.ruling import Ruling
from rongcuo_cli.model.vocabulary import CHOICE_FIELDS, FACT_WORDS, Vocabulary

UNSURE = next(word for word, value in FACT_WORDS.items() if value is None)  # 不清楚
# Typed answers besides 是/否/不清楚: short forms a person types at a prompt. Not
# accepted in case files, where a word must not need guessing; here the person
# who typed it is asked again if it is not one of these.
TYPED_YES_NO = {"y": True, "yes": True, "n": False, "no": False, "true": True, "false": False}
NO_CONTEXT = "无"  # the context question: none of the listed situations (an empty list)
_LIST_SEPARATORS = re.compile(r"[,，;；]")


@dataclass(frozen=True)
class Question:
    """One question of the intake: a fact, or ``loss``/``context``/``body``, with the answers offered."""

    name: str
    label: str
    text: str
    dimension: str
    choices: tuple[tuple[str, Any], ...]  # (what the person reads, the value); 不清楚 is always last
    many: bool = False  # context: several choices at once


def facts_read(ruleset: CompiledRuleset, vocab: Vocabulary) -> list[str]:
    """The public names (facts, loss, context, body) the ruleset's rules read, directly or through references."""
    return vocab.in_order({public_name(v) for rule in ruleset.rules for v in rule.reads_all})


def context_tags_read(ruleset: CompiledRuleset, vocab: Vocabulary) -> list[str]:
    """The context tags the ruleset tests, in vocabulary order: the only ones worth offering."""
    read = {v for rule in ruleset.rules for v in rule.reads_all}
    return [tag for tag in vocab.context.tags if f"context:{tag}" in read]


def question_for(name: str, ruleset: CompiledRuleset, vocab: Vocabulary) -> Question:
    if name in CHOICE_FIELDS:
        labels = vocab.choice_labels(name)
        offered = context_tags_read(ruleset, vocab) if name == "context" else list(labels)
        choices = tuple((labels[v], v) for v in offered)
    else:
        choices = tuple((word, value) for word, value in FACT_WORDS.items() if value is not None)
    return Question(
        name=name, label=vocab.variable_label(name), text=vocab.question(name), dimension=vocab.dimension_of(name),
        choices=(*choices, (UNSURE, None)), many=name == "context",
    )


def parse_answer(question: Question, typed: str, vocab: Vocabulary) -> Any:
    """What a typed answer means (None: unknown); ValueError with a Chinese hint when it means nothing."""
    text = typed.strip()
    if text == UNSURE:
        return None
    if question.name not in CHOICE_FIELDS:
        value = FACT_WORDS.get(text, TYPED_YES_NO.get(text.lower(), UNSURE))
        if value is UNSURE:
            raise ValueError(f"请回答 是、否 或 {UNSURE}（也可以写 y、n）")
        return value
    spellings = vocab.spellings(question.name)
    if not question.many:
        if text not in spellings:
            raise ValueError(vocab.choice_hint(question.name, text) or "请从以下选择：" + "、".join(label for label, _ in question.choices))
        return spellings[text]
    if text == NO_CONTEXT:
        return []
    tags = []
    for part in filter(None, (p.strip() for p in _LIST_SEPARATORS.split(text))):
        if part not in spellings:
            hint = vocab.choice_hint("context", part) or f"可选：{'、'.join(label for label, _ in question.choices[:-1])}"
            raise ValueError(f"`{part}` 不是工作情境；{hint}（多项用逗号分开，都不是写 {NO_CONTEXT}）")
        tags.append(spellings[part])
    return [t for t in vocab.context.tags if t in tags]  # vocabulary order, each once


@dataclass
class Intake:
    """The answers so far, and the next question that can still change the ruling.

    ``header`` holds case_id, title and subject; ``answers`` each asked name's
    value (None: answered 不清楚, never asked again).
    """

    ruleset: CompiledRuleset
    vocab: Vocabulary
    header: dict[str, Any]
    answers: dict[str, Any] = field(default_factory=dict)

    def case_data(self) -> dict[str, Any]:
        """The case as a case file holds it (English ids; unknown answers left out)."""
        data: dict[str, Any] = {**self.header, "subject": dict(self.header["subject"]), "facts": {}}
        for name, value in self.answers.items():
            if value is None:
                continue
            if name == "body":
                data["subject"]["body"] = value
            elif name in CHOICE_FIELDS:
                data[name] = value
            else:
                data["facts"][name] = value
        return data

    def ruling(self) -> Ruling:
        return advise(case_from_data(self.case_data()), self.ruleset, self.vocab, analyse=False)

    def next_question(self) -> Question | None:
        """The unasked missing fact whose answers split the outcomes most; None once nothing asked could change it."""
        case = case_from_data(self.case_data())
        ruling = advise(case, self.ruleset, self.vocab, analyse=False)
        candidates = [name for name in ruling.missing_facts if name not in self.answers]
        if ruling.outcome != "undetermined" or not candidates:
            return None
        chain, _ = applicable(case, self.ruleset)
        branches = branch_possibilities(chain, self.vocab, environment(case, self.vocab), candidates)

        def power(name: str) -> tuple[int, int, int]:
            possible = branches[name]
            settled = sum(len(outcomes) == 1 for outcomes in possible)
            # Answers that settle the case first, then answers that split the outcomes most, then vocabulary order.
            return (settled, len(set(possible)), -candidates.index(name))

        return question_for(max(candidates, key=power), self.ruleset, self.vocab)


@dataclass(frozen=True)
class FactEntry:
    """One fact a ruleset reads, as ``rongcuo facts`` lists it."""

    name: str
    dimension: str
    dimension_label: str
    label: str
    question: str
    values: list[str]  # what a case file may write (for loss/context/body: the Chinese labels, then the ids)


def fact_sheet(ruleset: CompiledRuleset, vocab: Vocabulary) -> list[FactEntry]:
    """The facts the ruleset reads, grouped by the five dimensions (vocabulary order within each)."""
    entries = []
    for name in facts_read(ruleset, vocab):
        question = question_for(name, ruleset, vocab)
        if name in CHOICE_FIELDS:
            values = [label for label, _ in question.choices] + [v for _, v in question.choices if v is not None]
        else:
            values = list(FACT_WORDS)  # true/false are accepted too; the words are what a handler writes
        entries.append(FactEntry(name, question.dimension, vocab.dimensions[question.dimension], question.label, question.text, values))
    order = list(vocab.dimensions)
    return sorted(entries, key=lambda e: order.index(e.dimension))
