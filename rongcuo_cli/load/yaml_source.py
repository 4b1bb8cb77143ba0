"""Read a YAML file into plain Python data plus a map of 1-based positions.

Why: Pydantic validates plain data, but a user needs the line and column of
every problem. The round-trip loader knows positions; we keep them in an index
keyed by the same path tuples Pydantic reports in an error's ``loc``.

Files are written by hand and may be hostile, so before anything is built the
event stream is checked against the limits below (size, nesting depth, the
node count after alias expansion, tags, one document per file). A fast loader
can reuse ``check_limits`` and ``check_events`` on its own event stream.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq, TaggedScalar
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError, YAMLWarning
from ruamel.yaml.reader import ReaderError

from rongcuo_cli.model.diagnostics import Diagnostic, UsageError, UserError, os_reason

# The endings of case and ruleset files, wherever files are looked for.
YAML_SUFFIXES = (".yaml", ".yml")


Path_ = tuple[str | int, ...]

# A case file is a few kilobytes and the largest ruleset ~30 KB; 1 MiB leaves
# room for long evidence lists while refusing a wrong file (a log, a dump) at once.
MAX_FILE_BYTES = 1024 * 1024
# Nesting deeper than this is never a case or a ruleset; it also keeps every
# recursive step (composer, conversion, condition compiling) far from Python's limit.
MAX_DEPTH = 64
# Nodes after expanding every alias: bounds the work an alias bomb can cause, and the
# round-trip loader's time (about 40 µs a node): any file is answered in about a second.
# A case has about 60 nodes, the largest shipped ruleset about 1,100.
MAX_NODES = 20_000
# A plain integer longer than this is no amount, date or count a case needs; Python
# refuses to convert one of more than 4,300 digits, so it is refused here, with a position.
MAX_INTEGER_DIGITS = 100
_INTEGER = re.compile(r"[-+]?[0-9][0-9_]*")
# The only explicit tag accepted: `!!str` forces text and cannot fail or construct objects.
ALLOWED_TAGS = frozenset({"tag:yaml.org,2002:str"})
# A GB18030 file with at least this many characters outside GB2312, making up
# more than half of its non-ASCII text, is taken to be some other encoding.
RARE_CHARACTERS_MIN = 3
# A lead byte of a UTF-16/32 byte-order mark, and the codec it names.
_BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))

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
    """Read and decode a file: UTF-8 (BOM optional), UTF-16/32 with a BOM, else GB18030 (GBK)."""
    return decode(read_bytes(path), str(path))


def read_bytes(path: Path) -> bytes:
    """The file's bytes, refusing what is not a regular file or is above ``MAX_FILE_BYTES``."""
    file = str(path)
    try:
        info = path.stat()
        if path.is_dir():
            raise UsageError([Diagnostic(file=file, code="not-a-file", message="这是一个目录，不是文件", hint="请给出 .yaml 文件的路径")])
        if not path.is_file():
            raise UsageError([Diagnostic(file=file, code="not-a-file", message="这不是普通文件（设备、管道等）", hint="请给出 .yaml 文件的路径")])
        check_limits(b"", file, size=info.st_size)
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        # A path that does not exist is a wrong argument, exit 2 in every command (a parent named by
        # ``extends`` is caught by the loader and reported at its line instead).
        raise UsageError([Diagnostic(file=file, code="not-found", message="文件不存在", hint="检查路径是否正确")]) from None
    except OSError as exc:
        raise UserError([Diagnostic(file=file, code="unreadable", message=f"无法读取文件：{os_reason(exc)}", hint="检查文件权限")]) from None
    check_limits(raw, file)
    return raw


def check_limits(raw: bytes, file: str, *, size: int | None = None) -> None:
    """Refuse a file above ``MAX_FILE_BYTES`` before any parsing (``size`` if known from stat)."""
    size = len(raw) if size is None else size
    if size > MAX_FILE_BYTES:
        raise UserError([Diagnostic(
            file=file, code="too-large",
            message=f"文件过大（{size} 字节），超过上限 {MAX_FILE_BYTES} 字节（1 MiB）",
            hint="一个案件一个文件；确认没有选错文件",
        )])


def decode(raw: bytes, file: str) -> str:
    """Decode bytes by a fixed rule (see docs/bad-input.md): never guess beyond it.

    A BOM decides first. Then strict UTF-8; only if that fails, GB18030 (a
    superset of GBK and GB2312). Text that decodes as GB18030 but contains
    private-use characters is almost surely another encoding (Big5, Shift-JIS)
    and is refused rather than shown as mojibake.
    """
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(codec)
            except UnicodeDecodeError as exc:
                raise UserError([_undecodable(raw, exc, codec, file)]) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError as gb_error:
            # Report where the encoding that got further broke: that is most likely the intended one.
            exc, codec = (utf8_error, "utf-8-sig") if utf8_error.start >= gb_error.start else (gb_error, "gb18030")
            raise UserError([_undecodable(raw, exc, codec, file)]) from None
    foreign = _foreign_encoding_at(text)
    if foreign is not None:
        line, column = _line_col(text, foreign)
        raise UserError([Diagnostic(
            file=file, line=line, column=column, code="encoding",
            message="文件不是 UTF-8，按 GB18030/GBK 解码又得到私用区字符或大量生僻字：文件可能是 Big5、Shift-JIS 等其他编码",
            hint="请用 UTF-8 编码另存该文件",
        )])
    return text


def _foreign_encoding_at(text: str) -> int | None:
    """Where GB18030-decoded text shows it was really another encoding, or None.

    Private-use characters never occur in a real GBK file. Big5 or Shift-JIS
    bytes read as GBK also land mostly outside GB2312's 6,763 common characters,
    while a real GBK case file is mostly inside them.
    """
    rare: list[int] = []
    wide = 0
    for index, char in enumerate(text):
        if char < "\x80":
            continue
        if "\ue000" <= char <= "\uf8ff":
            return index
        wide += 1
        try:
            char.encode("gb2312")
        except UnicodeEncodeError:
            rare.append(index)
    return rare[0] if len(rare) >= RARE_CHARACTERS_MIN and len(rare) * 2 > wide else None


def _undecodable(raw: bytes, exc: UnicodeDecodeError, codec: str, file: str) -> Diagnostic:
    line, column = _line_col(raw[: exc.start].decode(codec, errors="replace"), None)
    names = {"utf-8-sig": "UTF-8", "gb18030": "GB18030/GBK"}
    tried = "既不是 UTF-8 也不是 GB18030/GBK 编码" if codec in names else f"带有 {codec.upper()} 字节顺序标记，却不是合法的 {codec.upper()}"
    return Diagnostic(
        file=file, line=line, column=column, code="encoding",
        message=f"无法解码的字节 0x{raw[exc.start]:02x}：文件{tried}",
        hint="请用 UTF-8 编码另存该文件",
    )


def _line_col(text: str, index: int | None) -> tuple[int, int]:
    """1-based line and column of ``text[index]`` (of the end of ``text`` when index is None)."""
    head = text if index is None else text[:index]
    return head.count("\n") + 1, len(head) - (head.rfind("\n") + 1) + 1


def check_events(events: Iterable[Any], file: str, lines: list[str] | None = None) -> None:
    """Check a parser's event stream against the limits, before anything is built.

    Works on any PyYAML-style events (classes named like ``ScalarEvent``, with
    ``anchor``, ``tag`` and a 0-based ``start_mark``). The node count adds an
    anchored subtree's size for every alias, so an alias bomb is refused after
    reading its text once, without being expanded.
    """
    sizes: dict[str, int] = {}
    stack: list[list[Any]] = []  # [nodes so far, anchor] per open collection
    total = 0
    documents = 0
    tags: list[Diagnostic] = []  # tag and anchor problems, all reported together
    for event in events:
        kind = type(event).__name__
        mark = event.start_mark
        if kind == "DocumentStartEvent":
            documents += 1
            if documents > 1:
                raise UserError(tags + [_at(file, mark, lines, "several-documents", "一个文件只能有一个 YAML 文档，这里又以 --- 开始了第二个", "每个案件单独存为一个文件")])
            continue
        tag = getattr(event, "tag", None)
        if tag is not None and tag not in ALLOWED_TAGS and kind in ("ScalarEvent", "MappingStartEvent", "SequenceStartEvent"):
            tags.append(_at(file, mark, lines, "yaml-tag", f"不支持 YAML 标签 `{_short_tag(tag)}`：本工具不按标签构造任何对象", "去掉标签；需要文本时给值加引号"))
        anchor = getattr(event, "anchor", None)
        if anchor and kind != "AliasEvent" and anchor in sizes:
            # Legal YAML, but which value a later alias means is then easy to misread.
            tags.append(_at(file, mark, lines, "duplicate-anchor", f"锚点 `&{anchor}` 重复定义", "给每个锚点起不同的名字"))
        if kind == "AliasEvent" and any(frame[1] == event.anchor for frame in stack):
            tags.append(_at(file, mark, lines, "recursive-alias", f"别名 `*{event.anchor}` 引用了包含它自己的锚点", "去掉这个自我引用"))
        if kind == "ScalarEvent" and len(event.value) > MAX_INTEGER_DIGITS and event.implicit[0] and _INTEGER.fullmatch(event.value):
            raise UserError(tags + [_at(file, mark, lines, "number-too-long", f"数字过长（{len(event.value):,} 位），超过上限 {MAX_INTEGER_DIGITS} 位",
                                        "若这是编号或文本，请给它加引号；金额、数量不会有这么多位")])
        if kind in ("ScalarEvent", "AliasEvent"):
            size = 1 if kind == "ScalarEvent" else sizes.get(event.anchor, 1)
            if kind == "ScalarEvent" and event.anchor:
                sizes[event.anchor] = 1
        elif kind in ("MappingStartEvent", "SequenceStartEvent"):
            if anchor:
                sizes[anchor] = 1  # defined from here on; the subtree's size is set at its end
            stack.append([1, anchor])
            if len(stack) > MAX_DEPTH:
                raise UserError([_at(file, mark, lines, "too-deep", f"嵌套层级超过上限 {MAX_DEPTH} 层", "案件文件和规则集都不需要这么深的嵌套；检查是否误贴了其他内容")])
            size = 1
        elif kind in ("MappingEndEvent", "SequenceEndEvent"):
            count, anchor = stack.pop()
            if anchor:
                sizes[anchor] = count
            if stack:
                stack[-1][0] += count
            continue
        else:
            continue
        total += size
        if stack and kind not in ("MappingStartEvent", "SequenceStartEvent"):
            stack[-1][0] += size
        if total > MAX_NODES:
            raise UserError([_at(file, mark, lines, "too-many-nodes", f"文件的节点（键、值、列表项，别名按展开计）超过 {MAX_NODES} 个，已拒绝读取",
                                   "一个案件只有几十个节点；确认没有选错文件。若用了锚点和别名，请不要层层引用（“别名炸弹”）")])
    if tags:
        raise UserError(tags)


def _short_tag(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag


def _at(file: str, mark: Any, lines: list[str] | None, code: str, message: str, hint: str | None) -> Diagnostic:
    line = mark.line + 1 if mark is not None else None
    column = mark.column + 1 if mark is not None else None
    return Diagnostic(file=file, line=line, column=column, code=code, message=message, hint=hint, source_line=_source_line(lines, line))


def _source_line(lines: list[str] | None, line: int | None) -> str | None:
    if not lines or line is None or not 1 <= line <= len(lines):
        return None
    return lines[line - 1].rstrip("\r\n")


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


def load(path: Path) -> Document:
    return parse(read_text(path), str(path))


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
