"""Markdown and HTML documents from Jinja2 templates (the shipped ones, or a user's).

Why sandboxed: a template passed with ``--template`` comes from someone
else; ``SandboxedEnvironment`` keeps it from reaching Python's internals.
Why ``finalize``: every value a template prints is first stripped of control
characters, then escaped for its format (HTML by autoescape, Markdown by
backslashes), so text from a case file can never become markup.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Optional

from rongcuo_cli.model.safe_text import escape
from rongcuo_cli.render.document.template_errors import in_template, template_error, unreadable
from rongcuo_cli.model.diagnostics import os_reason

if TYPE_CHECKING:
    from jinja2 import Environment, Template

SHIPPED = {"md": "opinion.md.j2", "html": "opinion.html.j2"}

# CommonMark/GFM punctuation that can start markup anywhere in a line; the rest only matters at a line's start.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~&!])")
_MD_LINE_START = re.compile(r"^([#=+-])", re.M)
_MD_ORDERED = re.compile(r"^(\d+)([.)])(?=\s|$)", re.M)  # "1. " starts a list; the dot is what gets escaped


def md_escape(text: str) -> str:
    """Text that Markdown shows as itself: no emphasis, link, HTML, list, heading or code block can start in it."""
    text = "\n".join(line.lstrip() for line in text.split("\n"))  # an indented line would be a code block
    text = _MD_LINE_START.sub(r"\\\1", _MD_INLINE.sub(r"\\\1", text))
    return _MD_ORDERED.sub(r"\1\\\2", text)


def _finalize_for(fmt: str) -> Callable[[Any], Any]:
    def finalize(value: Any) -> Any:
        from markupsafe import Markup

        if isinstance(value, Markup):  # a template's own markup (|safe), not a value from a file
            return value
        text = escape(value if isinstance(value, str) else str(value))
        return md_escape(text) if fmt == "md" else text

    return finalize


def _environment(fmt: str, name: str, source: str, filename: str) -> "Environment":
    from jinja2 import FunctionLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment(
        loader=FunctionLoader(lambda wanted: (source, filename, lambda: True) if wanted == name else None),
        autoescape=fmt == "html", undefined=StrictUndefined, finalize=_finalize_for(fmt),
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )


def _compile(fmt: str, source: str, filename: str, shown: str) -> "Template":
    from jinja2 import TemplateSyntaxError

    try:
        return _environment(fmt, "document", source, filename).get_template("document")
    except TemplateSyntaxError as exc:
        raise template_error(exc, shown, filename) from None


@lru_cache(maxsize=None)
def _shipped(fmt: str) -> "Template":
    resource = files("rongcuo_cli.render.document") / "templates" / SHIPPED[fmt]
    return _compile(fmt, resource.read_text(encoding="utf-8"), f"<rongcuo {SHIPPED[fmt]}>", SHIPPED[fmt])


def _users(fmt: str, path: Path) -> "Template":
    try:
        source = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise unreadable(str(path), f"模板不是 UTF-8 文本（第 {exc.start + 1} 个字节无法解码）", "把模板另存为 UTF-8 编码") from None
    except OSError as exc:
        raise unreadable(str(path), f"无法读取模板：{os_reason(exc)}", "检查文件是否存在、是否可读") from None
    return _compile(fmt, source, str(path.resolve()), str(path))


def render_text(fmt: str, context: dict[str, Any], template: Optional[Path] = None) -> bytes:
    """The document as UTF-8 bytes, in ``fmt`` (md or html), from ``template`` or the shipped one."""
    compiled = _users(fmt, template) if template is not None else _shipped(fmt)
    try:
        return compiled.render(context).encode("utf-8")
    except Exception as exc:
        if template is None or not in_template(exc, compiled.filename or ""):
            raise  # our own template failing is a bug, reported as one
        raise template_error(exc, str(template), compiled.filename or "") from None
