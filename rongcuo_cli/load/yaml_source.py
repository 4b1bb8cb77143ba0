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

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

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


def parse(text: str, file: str) -> Document:
    """Parse YAML text; syntax errors and broken limits become positioned diagnostics."""
    # Imported here: the round-trip loader is only needed for positions and problems (see ``trusted_source``).
    from rongcuo_cli.load import yaml_roundtrip

    return yaml_roundtrip.parse(text, file)


def load(path: Path) -> Document:
    return parse(read_text(path), str(path))
