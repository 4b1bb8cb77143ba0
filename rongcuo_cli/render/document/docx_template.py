"""A .docx 认定意见书 from a user's own Word template, filled in with docxtpl.

Why docxtpl: a unit keeps its letterhead, its seal area and its fonts in a
.docx; docxtpl fills ``{{ doc.case_title }}`` and ``{% for %}`` loops written
in Word. The same sandbox as the text templates runs it, with XML escaping.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from rongcuo_cli.model.safe_text import escape
from rongcuo_cli.render.document.docx_format import reproducible
from rongcuo_cli.render.document.template_errors import in_template, template_error, unreadable

NOT_DOCX_HINT = "--template 的 .docx 须是 Word 文档（.docx），在其中用 {{ doc.… }} 写变量"
JINJA_FILENAME = "<template>"  # Jinja2's name for a template compiled from a string, as docxtpl does


def _finalize(value: Any) -> Any:
    from markupsafe import Markup

    return value if isinstance(value, Markup) else escape(value if isinstance(value, str) else str(value))


def render_docx_template(path: Path, context: dict[str, Any]) -> bytes:
    from docxtpl import DocxTemplate
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined, finalize=_finalize)
    template = DocxTemplate(path)
    try:
        template.init_docx()
    except Exception:  # not a zip, or a zip that is not a Word document: python-docx raises several kinds
        raise unreadable(str(path), "模板不是有效的 .docx 文件", NOT_DOCX_HINT) from None
    try:
        template.render(context, jinja_env=env)
    except Exception as exc:
        if not in_template(exc, JINJA_FILENAME):
            raise
        raise _positioned(exc, path) from None
    out = io.BytesIO()
    template.save(out)
    return reproducible(out.getvalue())


def _paragraph_text(path: Path, number: int) -> list[str]:
    """The words of paragraph ``number`` (1-based, in document order, tables included), for the reader to find it."""
    import docx
    from docx.oxml.ns import qn

    paragraphs = list(docx.Document(str(path)).element.body.iter(qn("w:p")))
    if not 0 < number <= len(paragraphs):
        return []
    words = "".join(t.text or "" for t in paragraphs[number - 1].iter(qn("w:t"))).strip()
    return [escape(words, one_line=True)] if words else []


def _positioned(exc: BaseException, path: Path) -> Exception:
    """docxtpl puts each paragraph of the Word XML on its own line, so the template line is a paragraph number."""
    from rongcuo_cli.render.document.template_errors import template_line

    line = template_line(exc, JINJA_FILENAME)
    paragraph = max(line - 1, 1) if line is not None else None
    nearby = _paragraph_text(path, paragraph) if paragraph else []
    where = (f"（第 {paragraph} 段附近" if paragraph else "（") + (f"，文字：{'／'.join(nearby)[:120]}）" if nearby else "）")
    return template_error(exc, str(path), JINJA_FILENAME, where=where if where != "（）" else "", line=paragraph)
