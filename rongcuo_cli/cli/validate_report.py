"""What ``rongcuo validate --json`` prints: each file checked and its problems.

Why a module of its own: the command module is imported for ``rongcuo --help``;
these models (and Pydantic) only when the command runs.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from rongcuo_cli.model.diagnostics import Diagnostic


class FileReport(BaseModel):
    """One checked file and its problems."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    file: str = Field(description="文件路径")
    kind: str = Field(description="case=案件文件，ruleset=规则集")
    valid: bool = Field(description="是否没有任何问题")
    problems: list[Diagnostic] = Field(description="发现的问题，按位置排序")


class ValidationReport(BaseModel):
    """The result of one ``rongcuo validate`` run (``--json``)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    checked: int = Field(description="检查的文件数")
    invalid: int = Field(description="有问题的文件数")
    problems: int = Field(description="问题总数")
    files: list[FileReport] = Field(description="逐个文件的结果，按检查顺序")
