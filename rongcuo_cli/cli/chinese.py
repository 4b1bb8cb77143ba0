"""The command line's own words in Chinese: help headings, usage lines, built-in option help, usage errors.

Why here and like this: Typer (with the Click it bundles) writes its own
English ("Usage:", "Options", "Show this message and exit.", "No such
option") and measures columns by characters, so Chinese metavars misalign.
A help formatter of our own writes the headings, usage line and definition
lists in Chinese and measures terminal cells; usage errors are shown by our
function, from the exception's fields, never from its English message.
"""

from __future__ import annotations

import re
from typing import Any, Sequence

try:  # Typer ≥ 0.20 bundles Click as ``typer._click``; older versions use Click itself
    from typer import _click as click_api
except ImportError:  # pragma: no cover
    import click as click_api  # type: ignore[no-redef]

HEADINGS = {"Options": "选项", "Arguments": "参数", "Commands": "命令"}
# Typer's and Click's built-in help texts and markers, word for word.
PHRASES = {
    "Show this message and exit.": "显示本帮助并退出。",
    "Install completion for the current shell.": "为当前 shell 安装命令补全（bash、zsh、fish、PowerShell）。",
    "Show completion for the current shell, to copy it or customize the installation.": "显示当前 shell 的命令补全脚本，可复制或自行安装。",
    "Install completion for the specified shell.": "为指定的 shell 安装命令补全。",
    "Show completion for the specified shell, to copy it or customize the installation.": "显示指定 shell 的命令补全脚本。",
    "[required]": "[必填]",
}
USAGE_WORDS = {"[OPTIONS]": "[选项]", "COMMAND [ARGS]...": "命令 [参数]..."}
# The type Typer appends to a term (``--output 文件 <path>``): the Chinese metavar already says it.
TYPE_SUFFIX = re.compile(r" <[^<>]+>$")
DEFAULT = re.compile(r"\[default: (.*)\]")
ENV_VAR = re.compile(r"\[env var: (.*)\]")


def chinese(text: str) -> str:
    for english, translated in PHRASES.items():
        text = text.replace(english, translated)
    text = DEFAULT.sub(r"[默认：\1]", text)
    return ENV_VAR.sub(r"[环境变量：\1]", text)


class ChineseHelpFormatter(click_api.HelpFormatter):  # type: ignore[misc, name-defined]
    """Help in Chinese, columns measured in terminal cells, Chinese folded between characters."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        for english, translated in USAGE_WORDS.items():
            args = args.replace(english, translated)
        args = re.sub(r"\{([^{}]+)\}", r"\1", args)  # Typer marks a required argument {NAME}
        self.write(f"{'':>{self.current_indent}}用法：{prog} {args}\n")

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{HEADINGS.get(heading, heading)}：\n")

    def write_text(self, text: str) -> None:
        from rongcuo_cli.render.fold import fold  # here: a command that prints no help never loads Rich

        indent = " " * self.current_indent
        for paragraph in chinese(text).split("\n"):
            for line in fold(paragraph.strip(), max(self.width - self.current_indent, 20)):
                self.write(f"{indent}{line}\n" if line else "\n")

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        from rich.cells import cell_len

        from rongcuo_cli.render.fold import fold

        rows = [(TYPE_SUFFIX.sub("", term), chinese(text)) for term, text in rows]
        first = min(max((cell_len(term) for term, _ in rows), default=0), col_max) + col_spacing
        text_width = max(self.width - self.current_indent - first, 20)
        for term, text in rows:
            indent = " " * self.current_indent
            lines = fold(text, text_width) if text else []
            if cell_len(term) <= first - col_spacing and lines:
                self.write(f"{indent}{term}{' ' * (first - cell_len(term))}{lines[0]}\n")
                lines = lines[1:]
            else:
                self.write(f"{indent}{term}\n")
            for line in lines:
                self.write(f"{indent}{' ' * first}{line}\n")


def usage_message(error: Any) -> str:
    """What went wrong on the command line, in Chinese, from the exception's own fields."""
    exceptions = click_api.exceptions
    if isinstance(error, exceptions.NoSuchOption):
        text = f"没有选项 {error.option_name}"
        if error.possibilities:
            text += "；是否想写 " + "、".join(sorted(error.possibilities)) + "？"
        return text
    if isinstance(error, exceptions.MissingParameter):
        param = error.param
        kind = "参数" if param is None or getattr(param, "param_type_name", "") == "argument" else "选项"
        return f"缺少{kind} {_param_name(param, error)}"
    if isinstance(error, exceptions.BadParameter):
        return f"{_param_name(error.param, error)} 的取值不合法：{_value_problem(error.message)}"
    message = str(error.message)
    extra = re.match(r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)", message)
    if extra:
        return f"多余的参数：{extra.group(1)}"
    command = re.match(r"No such command '(.*)'\.(?: Did you mean (.*)\?)?", message)
    if command:
        text = f"没有命令 {command.group(1)}"
        return text + (f"；是否想写 {command.group(2)}？" if command.group(2) else "")
    option_value = re.match(r"Option '(.*)' requires an argument\.", message)
    if option_value:
        return f"选项 {option_value.group(1)} 后面要写一个值"
    if message == "Missing command.":
        return "缺少命令"
    return message


def _param_name(param: Any, error: Any) -> str:
    if getattr(error, "param_hint", None):
        hint = error.param_hint
        return " / ".join(hint) if isinstance(hint, (list, tuple)) else str(hint)
    if param is None:
        return ""
    if getattr(param, "param_type_name", "") == "argument":
        return param.metavar or param.name
    return " / ".join(param.opts)


# Click's and Typer's words for a bad value, and what to say instead (first match wins).
VALUE_PROBLEMS: list[tuple[re.Pattern[str], Any]] = [
    (re.compile(r"'(.*)' is not one of (.*)\."), lambda m: f"“{m[1]}”不在可选值 {m[2].replace(', ', '、')} 之中"),
    (re.compile(r"'(.*)' is not a valid integer"), lambda m: f"“{m[1]}”不是整数"),
    (re.compile(r"'(.*)' is not a valid float"), lambda m: f"“{m[1]}”不是数字"),
    (re.compile(r".*valid integer"), lambda m: "应为整数"),
    (re.compile(r".*valid (?:number|float)"), lambda m: "应为数字"),
    (re.compile(r"(.*) is not in the range (.*)\."), lambda m: f"{m[1]} 不在范围 {m[2]} 之内"),
    (re.compile(r"(?:File|Path) '(.*)' does not exist\."), lambda m: f"文件 {m[1]} 不存在"),
    (re.compile(r".*is a directory"), lambda m: "这是一个目录，不是文件"),
    (re.compile(r"Input should be greater than or equal to (.*)"), lambda m: f"应不小于 {m[1]}"),
    (re.compile(r"Input should be greater than (.*)"), lambda m: f"应大于 {m[1]}"),
    (re.compile(r"Input should be less than or equal to (.*)"), lambda m: f"应不大于 {m[1]}"),
]


def _value_problem(message: str) -> str:
    message = message.removeprefix("Value error, ")  # pydantic's prefix on a validator's message
    for pattern, say in VALUE_PROBLEMS:
        found = pattern.match(message)
        if found:
            return say(found)
    return message


def show_usage_error(error: Any, file: Any = None) -> None:
    """Replaces Click's ``UsageError.show``: the usage line, where to find help, and the problem, in Chinese."""
    from rongcuo_cli.model.safe_text import escape

    echo = click_api.echo
    ctx = error.ctx
    if ctx is not None:
        echo(ctx.get_usage(), file=file, err=file is None)
        if ctx.command.get_help_option(ctx) is not None:
            echo(f"用 “{ctx.command_path} {ctx.help_option_names[0]}” 查看帮助。", file=file, err=file is None)
    echo(f"错误：{escape(usage_message(error))}", file=file, err=file is None)


def install() -> None:
    """Make Typer and its Click speak Chinese for this process (the ``rongcuo`` command line only)."""
    click_api.Context.formatter_class = ChineseHelpFormatter
    click_api.exceptions.UsageError.show = show_usage_error  # type: ignore[method-assign]
