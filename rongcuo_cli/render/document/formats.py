"""Which document an output file gets, by its suffix, and the bytes of that document."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

from rongcuo_cli.load.ruleset_loader import CompiledRuleset
from rongcuo_cli.model.case import CaseBase
from rongcuo_cli.model.diagnostics import Diagnostic, UsageError
from rongcuo_cli.model.ruling import Ruling
from rongcuo_cli.model.vocabulary import Vocabulary
from rongcuo_cli.render.document.content import OpinionDocument, build
from rongcuo_cli.render.document.fingerprint import fingerprint

FORMATS = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".docx": "docx"}
SUFFIXES = "、".join(sorted(set(FORMATS)))


def format_of(path: Path, option: str = "--document") -> str:
    """md, html or docx for ``path``; any other suffix is a usage error."""
    found = FORMATS.get(path.suffix.lower())
    if found is None:
        raise UsageError([Diagnostic(file=str(path), code="document-format", message=f"无法按扩展名确定认定意见书的格式：`{path.suffix or '（无扩展名）'}`",
                                     hint=f"{option} 的文件名须以 .md、.html 或 .docx 结尾")])
    return found


def check_template(template: Optional[Path], fmt: str) -> None:
    """A .docx template makes .docx documents only, and a text template text ones."""
    if template is None or (template.suffix.lower() == ".docx") == (fmt == "docx"):
        return
    wanted = "Word 模板（.docx）" if fmt == "docx" else "文本模板（Jinja2，.md 或 .html）"
    raise UsageError([Diagnostic(file=str(template), code="template-format", message=f"{fmt} 格式的认定意见书须用{wanted}",
                                 hint="模板与输出文件的格式须一致：.docx 模板输出 .docx，文本模板输出 .md 或 .html")])


def opinion(case: CaseBase, case_path: Path, ruling: Ruling, ruleset: CompiledRuleset, vocab: Vocabulary) -> OpinionDocument:
    return build(case, ruling, ruleset, fingerprint(case_path, ruleset), vocab)


def render(doc: OpinionDocument, fmt: str, ruling: Ruling, case: CaseBase, template: Optional[Path] = None) -> bytes:
    """The document's bytes. A template gets ``doc``, ``ruling`` (contract 2 as data) and ``case`` (the case file as data)."""
    if fmt == "docx" and template is None:
        from rongcuo_cli.render.document.docx_format import render_docx

        return render_docx(doc)
    context: dict[str, Any] = {"doc": doc, "ruling": ruling.as_dict(), "case": case.model_dump(mode="json")}
    if fmt == "docx":
        from rongcuo_cli.render.document.docx_template import render_docx_template

        return render_docx_template(template, context)  # type: ignore[arg-type]
    from rongcuo_cli.render.document.text_formats import render_text

    return render_text(fmt, context, template)
