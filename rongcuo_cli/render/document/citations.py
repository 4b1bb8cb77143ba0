"""Citations as a document shows them: the document's title, the clause, the words.

Why: a ruleset cites its region's text by seed file name (``002_….txt``),
which means nothing on paper; the ruleset's ``title`` is that text's name.
National texts are already cited by title.
"""

from __future__ import annotations

from dataclasses import dataclass

from rongcuo_cli.load.ruleset_loader import CompiledRuleset
from rongcuo_cli.model.ruleset import Citation
from rongcuo_cli.model.safe_text import escape



@dataclass(frozen=True)
class Quote:
    """One citation: ``document`` 《…》, ``clause``, ``text`` (原文, or 转述 when ``paraphrase``)."""

    document: str
    clause: str
    text: str
    paraphrase: bool

    @property
    def label(self) -> str:
        return "转述" if self.paraphrase else "原文"

    @property
    def where(self) -> str:
        """《文件》条款, marked （转述） when the words are not the text's own."""
        return f"{book_title(self.document)}{self.clause}" + ("（转述）" if self.paraphrase else "")

    @property
    def line(self) -> str:
        """The citation in one sentence: 《文件》条款：“原文”, or ……（转述）：大意为…… for a paraphrase."""
        if self.paraphrase:
            return f"{self.where}：大意为{self.text}"
        inner = self.text.replace("“", "‘").replace("”", "’")  # quotes inside a quote, as Chinese nests them
        return f"{self.where}：“{inner}”"


def book_title(name: str) -> str:
    """《name》, with book-title marks inside the name written 〈〉 as Chinese nests them."""
    return "《" + name.strip("《》").replace("《", "〈").replace("》", "〉") + "》"


def source_titles(rulesets: list[CompiledRuleset]) -> dict[str, str]:
    """Seed file name → the title of the ruleset that names it as a source, over every file of every version."""
    titles: dict[str, str] = {}
    for ruleset in rulesets:
        for _, meta in ruleset.sources:
            for source in meta.source:
                if source.endswith(".txt"):
                    titles.setdefault(source, meta.title)
    return titles


def quote(cites: Citation, titles: dict[str, str]) -> Quote:
    words = cites.quote_text  # a passage cut by the page layout is joined directly; separate passages with ……
    document = titles.get(cites.source, cites.source)
    return Quote(escape(document), escape(cites.clause), escape(words), cites.paraphrase)
