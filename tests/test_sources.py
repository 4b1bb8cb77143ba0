"""Every quote in every shipped ruleset occurs in what it cites."""

from __future__ import annotations

import pytest

from rongcuo_cli.authoring.quotes import missing_fragments
from rongcuo_cli.load.ruleset_loader import load_ruleset, shipped_ids

from .conftest import SHARED

NATIONAL_NORMS = SHARED / "docs" / "national-norms.md"


def _citations(ruleset):
    meta = ruleset.meta
    for compiled in ruleset.rules:
        yield compiled.rule.id, compiled.rule.cites
        for lean in compiled.rule.leans_on:
            yield f"{compiled.rule.id} (leans_on)", lean
    for outcome, items in list(meta.result_use.items()) + list(meta.next_steps.items()):
        for item in items:
            yield f"{outcome} guidance", item.cites
    for step in meta.procedure:
        yield f"procedure {step.id}", step.cites


def _source_text(source: str) -> str:
    if source.endswith(".txt"):
        return (SHARED / "seeds" / source).read_text(encoding="utf-8")
    return NATIONAL_NORMS.read_text(encoding="utf-8")


@pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="../shared is not beside the checkout")
@pytest.mark.parametrize("ruleset_id", shipped_ids())
def test_quotes_occur_verbatim(ruleset_id):
    problems = []
    for where, citation in _citations(load_ruleset(ruleset_id)):
        if citation.paraphrase:
            continue
        missing = missing_fragments(citation, _source_text(citation.source))
        if missing:
            problems.append(f"{where}: {missing}")
    assert problems == []


def test_a_wrong_quote_is_caught():
    from rongcuo_cli.model.ruleset import Citation
    cite = Citation(source="x.txt", clause="1", quote=["没有造成重大损失或不良社会影", "这句不在原文里"])
    text = "没有造成重大损失或不良社会影 革领导小组备案。 响,并符合以下情形之一"
    assert missing_fragments(cite, text) == ["这句不在原文里"]
