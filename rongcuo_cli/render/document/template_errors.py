"""A user's template that does not work becomes a positioned diagnostic, never a traceback.

Why here: Jinja2 reports a syntax error with its line, but an error while
rendering (an unknown variable, ``1/0``, an attribute the sandbox forbids)
only in the traceback, whose template frames Jinja2 rewrites to the
template's file and line. We read the line from there.
"""

from __future__ import annotations

from types import TracebackType
from typing import Optional

from rongcuo_cli.model.diagnostics import Diagnostic, UserError
from rongcuo_cli.model.safe_text import escape

HINT = "检查模板在该行的写法；可用的变量见 docs/document-templates.md（doc、ruling、case）"


def template_line(exc: BaseException, filename: str) -> Optional[int]:
    """The template line an error points at: Jinja2's own for a syntax error, else the last template frame's."""
    lineno = getattr(exc, "lineno", None)
    if isinstance(lineno, int):
        return lineno
    found = None
    tb: Optional[TracebackType] = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            found = tb.tb_lineno
        tb = tb.tb_next
    return found


def in_template(exc: BaseException, filename: str) -> bool:
    """Whether the error arose while the template ran (so it is the template's, not a bug of ours)."""
    from jinja2 import TemplateError

    return isinstance(exc, TemplateError) or template_line(exc, filename) is not None


def template_error(exc: BaseException, file: str, filename: str, *, where: str = "", line: Optional[int] = None) -> UserError:
    """The user error for a template ``file`` that failed with ``exc`` (``where`` adds e.g. the paragraph of a .docx)."""
    from jinja2 import TemplateSyntaxError, UndefinedError
    from jinja2.sandbox import SecurityError

    kind = {TemplateSyntaxError: "模板语法错误", UndefinedError: "模板使用了不存在的变量或属性", SecurityError: "模板做了不允许的操作"}
    what = next((label for cls, label in kind.items() if isinstance(exc, cls)), "模板运行出错")
    detail = escape(getattr(exc, "message", None) or str(exc) or type(exc).__name__, one_line=True)
    position = line if line is not None else template_line(exc, filename)
    return UserError([Diagnostic(file=file, line=position, code="template", message=f"{what}{where}：{detail}", hint=HINT)])


def unreadable(file: str, message: str, hint: str) -> UserError:
    return UserError([Diagnostic(file=file, code="template", message=message, hint=hint)])
