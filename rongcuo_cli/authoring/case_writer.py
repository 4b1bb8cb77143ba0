"""The case file ``rongcuo new`` writes: answers (or blanks) with each question as a Chinese comment.

Why Chinese values (是/否/不清楚, 较小, 乡镇): the handler who answered the
questions reads the file next, and a case file accepts them exactly like the
English ids, which keys keep (the case format and every ruling speak them).
A fact answered 不清楚 is written as such: the file shows it was asked.
"""

from __future__ import annotations

import io
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from rongcuo_cli.model.vocabulary import CHOICE_FIELDS, FACT_WORDS, Vocabulary

_WORD = {value: word for word, value in FACT_WORDS.items()}  # True → 是, False → 否, None → 不清楚
SUBJECT_KINDS = {"individual": "个人", "unit": "单位"}


def written(name: str, value: Any, vocab: Vocabulary) -> Any:
    """An answer as the case file shows it: Chinese words and labels."""
    if value is None or isinstance(value, bool):
        return _WORD[value]
    if name == "context":
        labels = CommentedSeq(vocab.context.tags[tag] for tag in value)
        labels.fa.set_flow_style()
        return labels
    return vocab.choice_labels(name)[value]


def case_text(header: dict[str, Any], names: list[str], answers: dict[str, Any], vocab: Vocabulary, *, source: str) -> str:
    """The YAML text: header fields, then ``names`` (answered ones with their answer, others blank), each under its question.

    Facts are grouped by the five dimensions, in vocabulary order.
    """
    doc = CommentedMap()
    doc["case_id"] = header.get("case_id")
    doc["title"] = header.get("title")
    subject = CommentedMap(header.get("subject") or {"kind": "individual"})
    kind = subject.get("kind")
    subject.yaml_add_eol_comment(f"{SUBJECT_KINDS.get(kind, '')}（individual=个人，unit=单位）", "kind")
    doc["subject"] = subject
    doc.yaml_set_comment_before_after_key("case_id", before=f"容错纠错案件（{source}）\n事实写 是 / 否 / 不清楚；不清楚或留空的视为未知，绝不视为否\n案件编号和标题必填", indent=0)
    for name in CHOICE_FIELDS:
        if name not in names:
            continue
        value = written(name, answers[name], vocab) if name in answers else None
        holder, indent = (subject, 2) if name == "body" else (doc, 0)
        holder[name] = value
        holder.yaml_set_comment_before_after_key(name, before=_question(name, vocab), indent=indent)
    facts = CommentedMap()
    dimension = None
    for name in names:
        if name in CHOICE_FIELDS:
            continue
        facts[name] = written(name, answers[name], vocab) if name in answers else None
        comment = _question(name, vocab)
        if vocab.facts[name].dimension != dimension:
            dimension = vocab.facts[name].dimension
            comment = f"【{vocab.dimensions[dimension]}】\n{comment}"
        facts.yaml_set_comment_before_after_key(name, before=comment, indent=2)
    doc["facts"] = facts
    out = io.StringIO()
    yaml = YAML()
    yaml.width = 4096  # one question, one comment line
    yaml.dump(doc, out)
    return out.getvalue()


def _question(name: str, vocab: Vocabulary) -> str:
    return f"{vocab.question(name)}（{name}）"
