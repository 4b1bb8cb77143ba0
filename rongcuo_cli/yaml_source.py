"""Read a YAML file into plain Python data plus a map of 1-based positions.

Why: Pydantic validates plain data, but a user needs the line and column of
every problem. The round-trip loader knows positions; we keep them in an index
keyed by the same path tuples Pydantic reports in an error's ``loc``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from .diagnostics import Diagnostic, UserError

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Position:
    line: int
    column: int


@dataclass
class Document:
    """A parsed YAML file: plain data and where each key and value stands."""

    file: str
    data: Any
    key_positions: dict[Path_, Position] = field(default_factory=dict)
    value_positions: dict[Path_, Position] = field(default_factory=dict)

    def position(self, path: Path_, *, key: bool = False) -> Position | None:
        """The closest known position for ``path``, walking up to its parents."""
        table = self.key_positions if key else self.value_positions
        probe = tuple(path)
        while probe:
            if probe in table:
                return table[probe]
            if probe in self.key_positions:
                return self.key_positions[probe]
            probe = probe[:-1]
        return self.value_positions.get((), Position(1, 1))

    def diagnostic(self, path: Path_, code: str, message: str, hint: str | None = None, *, key: bool = False) -> Diagnostic:
        pos = self.position(path, key=key)
        return Diagnostic(
            file=self.file,
            line=pos.line if pos else None,
            column=pos.column if pos else None,
            code=code,
            message=message,
            hint=hint,
        )


def read_text(path: Path) -> str:
    """Decode a file as UTF-8 (with or without BOM), falling back to GB18030."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UserError([Diagnostic(file=str(path), code="not-found", message="文件不存在", hint="检查路径是否正确")]) from None
    except IsADirectoryError:
        raise UserError([Diagnostic(file=str(path), code="not-a-file", message="这是一个目录，不是文件", hint="请给出 .yaml 文件的路径")]) from None
    except OSError as exc:
        raise UserError([Diagnostic(file=str(path), code="unreadable", message=f"无法读取文件：{exc.strerror}")]) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        try:
            return raw.decode("gb18030")
        except UnicodeDecodeError:
            line = raw[: utf8_error.start].count(b"\n") + 1
            column = utf8_error.start - (raw.rfind(b"\n", 0, utf8_error.start) + 1) + 1
            raise UserError([
                Diagnostic(
                    file=str(path), line=line, column=column, code="encoding",
                    message=f"无法解码的字节 0x{raw[utf8_error.start]:02x}：文件既不是 UTF-8 也不是 GB18030/GBK 编码",
                    hint="请用 UTF-8 编码另存该文件",
                )
            ]) from None


def _yaml() -> YAML:
    loader = YAML(typ="rt")
    loader.allow_duplicate_keys = False
    return loader


def parse(text: str, file: str) -> Document:
    """Parse YAML text; syntax errors become positioned diagnostics."""
    try:
        root = _yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or exc.context or "YAML 语法错误"
        hint = None
        if "duplicate key" in str(exc):
            message = f"重复的键：{_duplicate_key_name(exc)}"
            hint = "同一层级的键只能出现一次，否则后写的值会悄悄覆盖前面的值"
        raise UserError([
            Diagnostic(
                file=file,
                line=mark.line + 1 if mark else None,
                column=mark.column + 1 if mark else None,
                code="yaml-syntax",
                message=f"YAML 语法错误：{message}" if "重复" not in message else message,
                hint=hint or "检查缩进、冒号后的空格和引号是否成对",
            )
        ]) from None
    except YAMLError as exc:
        raise UserError([Diagnostic(file=file, line=1, column=1, code="yaml-syntax", message=f"YAML 语法错误：{exc}")]) from None
    doc = Document(file=file, data=None)
    doc.value_positions[()] = Position(1, 1)
    doc.data = _plain(root, (), doc)
    return doc


def load(path: Path) -> Document:
    return parse(read_text(path), str(path))


def _duplicate_key_name(exc: MarkedYAMLError) -> str:
    problem = exc.problem or ""
    return problem.split('"')[1] if '"' in problem else problem


def _plain(node: Any, path: Path_, doc: Document) -> Any:
    """Convert ruamel's round-trip nodes to plain data, recording positions."""
    if isinstance(node, CommentedMap):
        result: dict[Any, Any] = {}
        for key in node:
            child = path + (key,)
            kline, kcol = node.lc.key(key)
            vline, vcol = node.lc.value(key)
            doc.key_positions[child] = Position(kline + 1, kcol + 1)
            doc.value_positions[child] = Position(vline + 1, vcol + 1)
            result[_plain_key(key)] = _plain(node[key], child, doc)
        return result
    if isinstance(node, CommentedSeq):
        items = []
        for index, item in enumerate(node):
            line, col = node.lc.item(index)
            doc.value_positions[path + (index,)] = Position(line + 1, col + 1)
            items.append(_plain(item, path + (index,), doc))
        return items
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    if isinstance(node, dt.datetime):
        return dt.datetime(node.year, node.month, node.day, node.hour, node.minute, node.second)
    if isinstance(node, dt.date):
        return dt.date(node.year, node.month, node.day)
    raise UserError([doc.diagnostic(path, "yaml-type", f"不支持的 YAML 值类型：{type(node).__name__}", "只使用普通的映射、列表、字符串、数字、布尔值和日期")])


def _plain_key(key: Any) -> Any:
    return str(key) if isinstance(key, str) else key
