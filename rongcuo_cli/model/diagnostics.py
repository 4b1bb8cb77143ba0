"""One kind of problem for every user error: YAML syntax, schema, rule errors.

Why: the CLI prints and picks exit codes from these values only, so every
error a user can cause has a file, a 1-based line and column, and a hint.
"""

from __future__ import annotations

import difflib
import errno
from typing import Iterable

from pydantic import BaseModel, ConfigDict, Field


class Diagnostic(BaseModel):
    """A positioned problem in an input file."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    file: str = Field(description="输入文件路径")
    line: int | None = Field(default=None, description="行号（从 1 起）")
    column: int | None = Field(default=None, description="列号（从 1 起）")
    code: str = Field(description="问题类别，如 yaml-syntax、schema、unknown-key")
    message: str = Field(description="问题说明")
    hint: str | None = Field(default=None, description="修改建议")
    source_line: str | None = Field(default=None, description="出错的那一行原文（语法类错误才有），用于在其下标出列位置")

    @property
    def location(self) -> str:
        """``path:line:col`` (as much of it as is known)."""
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def plain(self) -> str:
        """The one-line ``path:line:col: message`` form."""
        text = f"{self.location}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


# Problems listed per file: a file with thousands of the same mistake gets the first
# ones and a count, not a report longer than itself.
MAX_PER_FILE = 50


def more_problems(file: str, count: int) -> Diagnostic:
    """The line that stands for ``count`` problems left out of a file's list."""
    return Diagnostic(file=file, code="more-problems", message=f"…及另外 {count:,} 处同类问题（每个文件只列出前 {MAX_PER_FILE} 处）",
                      hint="先改正上面列出的问题，再重新检查")


def cap(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """At most ``MAX_PER_FILE`` diagnostics per file, then one ``more_problems`` (a list already capped is kept)."""
    kept: list[Diagnostic] = []
    counts: dict[str, int] = {}
    dropped: dict[str, int] = {}
    for diagnostic in diagnostics:
        seen = counts[diagnostic.file] = counts.get(diagnostic.file, 0) + 1
        if seen <= MAX_PER_FILE or diagnostic.code == "more-problems":
            kept.append(diagnostic)
        else:
            dropped[diagnostic.file] = dropped.get(diagnostic.file, 0) + 1
    return kept + [more_problems(file, count) for file, count in dropped.items()]


class UserError(Exception):
    """Input the user can fix: carries every diagnostic found (at most ``MAX_PER_FILE`` per file), never a traceback."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = cap(diagnostics)
        super().__init__("\n".join(d.plain() for d in self.diagnostics))


def suggest(name: str, choices: Iterable[str]) -> str | None:
    """A did-you-mean hint for a misspelt name, or None when nothing is close."""
    close = closest(name, choices)
    return f"是否想写 `{close}`？" if close else None


def closest(name: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The choice nearest to ``name``, or None when nothing is close enough."""
    close = difflib.get_close_matches(name, sorted(choices), n=1, cutoff=cutoff)
    return close[0] if close else None


def shorten(value: object) -> str:
    """A value as a message quotes it: long text cut to 40 characters."""
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


class UsageError(UserError):
    """A wrong command-line argument (not a problem in a file): exit code 2."""


class OutputError(UserError):
    """An output file that cannot be written (no such folder, no permission, full disk): exit code 4."""


# The operating system's reasons a file cannot be read or written, as a handler reads them.
_OS_REASONS = {
    errno.ENOENT: "文件或目录不存在", errno.EACCES: "没有权限", errno.EPERM: "没有权限", errno.ENOSPC: "磁盘空间已满",
    errno.EISDIR: "这是一个目录", errno.ENOTDIR: "路径中有一段不是目录", errno.EROFS: "文件系统只读",
    errno.EEXIST: "已存在", errno.EDQUOT: "超出磁盘配额", errno.EIO: "输入输出错误", errno.ENAMETOOLONG: "文件名过长",
}


def os_reason(exc: OSError) -> str:
    """Why an operating-system call failed, in Chinese where the reason is a common one."""
    return _OS_REASONS.get(exc.errno or -1) or exc.strerror or str(exc)
