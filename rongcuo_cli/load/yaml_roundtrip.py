"""The round-trip loader behind ``yaml_source.parse``: data, positions and syntax diagnostics.

Why a module of its own: ruamel.yaml is the slowest import and the slowest
parser of the tool; a file whose data the libyaml fast path can read, and that
needs no positions, never loads it.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq, TaggedScalar
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError, YAMLWarning
from ruamel.yaml.reader import ReaderError

from rongcuo_cli.load.yaml_source import Document, Path_, Position, _at, _line_col, _source_line, check_events
from rongcuo_cli.model.diagnostics import Diagnostic, UserError

# ruamel's syntax messages (English) and what they mean for someone writing a case file.
_EXPLAINED: dict[str, str] = {
    "mapping values are not allowed here": "此处不能出现“键: 值”（值里有未加引号的冒号，或缩进不对）",
    "could not find expected ':'": "缺少冒号：“键: 值”的冒号后须有一个空格",
    "cannot start any token": "不能用 Tab 缩进或对齐，请改用空格",
    "found a tab character": "不能用 Tab 缩进或对齐，请改用空格",
    "expected <block end>": "缩进不一致：这一行与上面同一层级的行没有对齐",
    "did not find expected key": "期望一个键：同一层级的行没有对齐，或列表项 `- ` 与键混在一层",
    "did not find expected '-' indicator": "期望一个列表项 `- `：列表各项没有对齐",
    "found unexpected end of stream": "文件在引号或括号闭合之前就结束了",
    "found undefined alias": "引用了未定义的锚点（*名称 之前须有 &名称）",
    "found duplicate anchor": "同一个锚点名 &名称 定义了两次",
    "found unknown escape character": "双引号文本中有无法识别的反斜杠转义；文本含反斜杠时请改用单引号",
    "',' or ']'": "方括号列表 [...] 没有闭合，或两项之间缺少逗号",
    "',' or '}'": "花括号映射 {...} 没有闭合，或两项之间缺少逗号",
    "found character that cannot start any token": "这个字符不能出现在值的开头（如 @ 或 `），请给值加引号",
    "did not find expected <document start>": "文档内容之后又出现了多余的内容",
    "found unexpected ':'": "多余的冒号：文本含冒号时请加引号",
    "expected alphabetic or numeric character": "锚点或别名（& 或 * 之后）的名称不合法；文本以 & 或 * 开头时请加引号",
}
_SYNTAX_HINT = "检查缩进（只用空格）、冒号后的空格，以及引号和括号是否成对"


class _Constructor(RoundTripConstructor):
    """Round-trip construction where a date-shaped non-date (2023-02-30) stays text.

    ruamel raises a bare ValueError for it; as text it reaches validation and
    gets a positioned "应为日期" error like any other non-date.
    """

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        try:
            return super().construct_yaml_timestamp(node, values)
        except (ValueError, OverflowError):
            return str(node.value)


    # Why: ruamel's resolver takes some non-numbers for numbers (``._`` as a float,
    # ``_`` as an int) and then fails to build them with a bare ValueError or
    # IndexError. Such a scalar stays text, and validation points at it.
    def construct_yaml_float(self, node: Any) -> Any:
        try:
            return super().construct_yaml_float(node)
        except (ValueError, IndexError, OverflowError):
            return str(node.value)

    def construct_yaml_int(self, node: Any) -> Any:
        try:
            return super().construct_yaml_int(node)
        except (ValueError, IndexError):
            return str(node.value)


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_timestamp)
_Constructor.add_constructor("tag:yaml.org,2002:float", _Constructor.construct_yaml_float)
_Constructor.add_constructor("tag:yaml.org,2002:int", _Constructor.construct_yaml_int)


def _yaml() -> YAML:
    loader = YAML(typ="rt")
    loader.Constructor = _Constructor
    loader.allow_duplicate_keys = False
    return loader


def parse(text: str, file: str) -> Document:
    """Parse YAML text; syntax errors and broken limits become positioned diagnostics."""
    lines = text.splitlines()
    try:
        _check_structure(text, file, lines)
        with warnings.catch_warnings():
            # ruamel warns on stderr about legal oddities; what matters was checked above.
            warnings.simplefilter("ignore", YAMLWarning)
            root = _yaml().load(text)
    except MarkedYAMLError as exc:
        raise UserError([_syntax(exc, file, lines)]) from None
    except ReaderError as exc:
        raise UserError([_control_character(exc, text, file, lines)]) from None
    except YAMLError as exc:
        raise UserError([Diagnostic(file=file, line=1, column=1, code="yaml-syntax", message=f"YAML 语法错误：{exc}", hint=_SYNTAX_HINT)]) from None
    doc = Document(file=file, data=None)
    doc.value_positions[()] = Position(1, 1)
    doc.data = _plain(root, (), doc)
    return doc


def _check_structure(text: str, file: str, lines: list[str]) -> None:
    """``check_events`` on libyaml's events (C, far faster); on any problem, again on ruamel's.

    Why twice only then: the limits hold for both parsers' events alike, but
    the diagnostics (messages, positions) are those of the round-trip loader,
    which a flood of small nodes keeps busy for seconds before a limit trips.
    """
    try:
        check_events(yaml.parse(text, Loader=yaml.CSafeLoader), file, lines)
        return
    except (UserError, yaml.YAMLError):
        pass
    check_events(_yaml().parse(io.StringIO(text)), file, lines)


def _syntax(exc: MarkedYAMLError, file: str, lines: list[str]) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    if "duplicate key" in str(exc.problem):
        first = _first_key_line(exc, lines)
        where = f"第 {first} 行已有同名的键；" if first else ""
        return _at(file, mark, lines, "duplicate-key", f"重复的键：{_duplicate_key_name(exc)}",
                   f"{where}同一层级的键只能出现一次，否则后写的值会悄悄覆盖前面的值")
    problem = exc.problem or exc.context or ""
    meaning = next((text for english, text in _EXPLAINED.items() if english in problem or english in (exc.context or "")), None)
    message = f"YAML 语法错误：{meaning}（{problem}）" if meaning else f"YAML 语法错误：{problem}"
    start = exc.context_mark
    # An unclosed bracket or quote is found lines later; say where it was opened.
    opened = f"出问题的结构从第 {start.line + 1} 行第 {start.column + 1} 列开始；" if start is not None and mark is not None and start.line != mark.line else ""
    return _at(file, mark, lines, "yaml-syntax", message, opened + _SYNTAX_HINT)


def _control_character(exc: ReaderError, text: str, file: str, lines: list[str]) -> Diagnostic:
    line, column = _line_col(text, exc.position)
    hint = "文件可能是无 BOM 的 UTF-16 或二进制文件；请用 UTF-8 另存" if exc.character in (0, "\x00") else "删除该控制字符（常见于从 Word 或网页粘贴的内容）"
    code = exc.character if isinstance(exc.character, int) else ord(exc.character)
    return Diagnostic(file=file, line=line, column=column, code="control-character",
                      message=f"文件含有不允许的控制字符 U+{code:04X}", hint=hint, source_line=_source_line(lines, line))


def _first_key_line(exc: MarkedYAMLError, lines: list[str]) -> int | None:
    """The 1-based line of the first of two equal keys (ruamel marks only the mapping's start)."""
    start, second = exc.context_mark, exc.problem_mark
    if start is None or second is None:
        return None
    name = _duplicate_key_name(exc)
    for number in range(start.line, second.line):
        text = lines[number][second.column:] if number < len(lines) else ""
        if text.startswith((f"{name}:", f'"{name}":', f"'{name}':")) and lines[number][: second.column].strip(" -") == "":
            return number + 1
    return None


def _duplicate_key_name(exc: MarkedYAMLError) -> str:
    problem = exc.problem or ""
    return problem.split('"')[1] if '"' in problem else problem


def _plain(node: Any, path: Path_, doc: Document) -> Any:
    """Convert ruamel's round-trip nodes to plain data, recording positions."""
    if isinstance(node, CommentedMap):
        result: dict[Any, Any] = {}
        for key in node:
            child = path + (key,)
            kline, kcol, vline, vcol = _key_value_position(node, key)
            doc.key_positions[child] = Position(kline + 1, kcol + 1)
            doc.value_positions[child] = Position(vline + 1, vcol + 1)
            if isinstance(key, (tuple, frozenset)) or hasattr(key, "items"):
                raise UserError([doc.diagnostic(child, "yaml-key", "键只能是简单的文本，不能是列表或映射", "把复合键改写成普通的“键: 值”", key=True)])
            result[_plain_key(key)] = _plain(node[key], child, doc)
        return result
    if isinstance(node, CommentedSeq):
        items = []
        for index, item in enumerate(node):
            line, col = node.lc.item(index)
            doc.value_positions[path + (index,)] = Position(line + 1, col + 1)
            items.append(_plain(item, path + (index,), doc))
        return items
    if isinstance(node, TaggedScalar):  # only `!!str` gets this far (check_events)
        return str(node.value)
    if isinstance(node, bool) or node is None:
        return node
    if type(node).__name__ == "ScalarBoolean":  # an anchored true/false: an int subclass in ruamel
        return bool(node)
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
    raise UserError([doc.diagnostic(path, "yaml-type", f"不支持的 YAML 值类型：{type(node).__name__}", "只使用普通的映射、列表、文本、数字、布尔值和日期")])


def _key_value_position(node: CommentedMap, key: Any) -> tuple[int, int, int, int]:
    """Where a key and its value stand; a key merged in by ``<<`` stands at its mapping."""
    try:
        return (*node.lc.key(key), *node.lc.value(key))
    except (KeyError, TypeError):
        return node.lc.line, node.lc.col, node.lc.line, node.lc.col


def _plain_key(key: Any) -> Any:
    return str(key) if isinstance(key, str) else key
