"""Read a case file's plain data with libyaml, or say "not sure" and let the round-trip loader decide.

Why: the round-trip loader (``yaml_source``) is about 17 times slower than
libyaml; in a batch it is the whole cost. libyaml's own resolver is YAML 1.1
(``yes``/``on`` are booleans, ``017`` is octal), ours is YAML 1.2, so the fast
path resolves plain scalars itself and only for the forms whose YAML 1.2
meaning is beyond doubt (text, true/false, null, decimal integers, ISO dates).
Anything else — tags, anchors and aliases, merge keys, directives, other
numbers, duplicate keys, a file past the size limit, a parse error — raises
``Defer`` and the caller uses ``yaml_source.load``, which gives the same data
or the positioned diagnostics. The contract, checked by a property test:
``read(path)`` either equals ``yaml_source.load(path).data`` or defers.
``read`` first tries ``plain_yaml`` (yaml-rs, for the plain subset most case
files are written in), which keeps the same contract.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from rongcuo_cli.load import plain_yaml

# Far inside any limit the round-trip loader may set (a case file is a few KiB and
# three levels deep): anything bigger, deeper or with many flow brackets is left to
# yaml_source, which owns the limits and their messages. When yaml_source exposes
# its limits as constants, these should be derived from them.
MAX_FAST_BYTES = 64 * 1024
MAX_FAST_DEPTH = 16
# Bounds how deep libyaml's (recursive, C) composer can go before ``_build`` checks the
# depth; rulesets write conditions in flow style, a few brackets per rule.
MAX_FLOW_BRACKETS = 4096
# Characters that introduce tags (!), anchors (&), aliases (*) and directives (%):
# the round-trip loader handles them (and their abuses, such as alias bombs).
_DOUBTFUL_MARKS = ("!", "&", "*", "<<")

_STR = "tag:yaml.org,2002:str"
_PLAIN_TAGS: dict[str, str] = {
    **dict.fromkeys(("true", "True", "TRUE", "false", "False", "FALSE"), "tag:yaml.org,2002:bool"),
    **dict.fromkeys(("", "~", "null", "Null", "NULL"), "tag:yaml.org,2002:null"),
}
# Forms whose value libyaml's constructors compute exactly as YAML 1.2 does.
_SURE_FORMS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"[-+]?(?:0|[1-9][0-9]*)"), "tag:yaml.org,2002:int"),
    (re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"), "tag:yaml.org,2002:timestamp"),
)
# YAML 1.2's implicit resolvers, as ruamel.yaml (the round-trip loader) has them: the tag,
# the pattern and its flags, the first characters it is tried for, in ruamel's order.
# Written out so that reading a file never imports ruamel (its import costs more than
# parsing a case); ``test_start_up`` holds them to ruamel's own table, word for word.
YAML12_RESOLVERS: tuple[tuple[str, str, int, str | tuple[str, ...]], ...] = (
    ("tag:yaml.org,2002:bool", '''^(?:true|True|TRUE|false|False|FALSE)$''', re.X, "tTfF"),
    ("tag:yaml.org,2002:float", '''^(?:
         [-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+]?[0-9]+)?
        |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
        |[-+]?\\.[0-9_]+(?:[eE][-+][0-9]+)?
        |[-+]?\\.(?:inf|Inf|INF)
        |\\.(?:nan|NaN|NAN))$''', re.X, "-+0123456789."),
    ("tag:yaml.org,2002:int", '''^(?:[-+]?0b[0-1_]+
        |[-+]?0o?[0-7_]+
        |[-+]?[0-9_]+
        |[-+]?0x[0-9a-fA-F_]+)$''', re.X, "-+0123456789"),
    ("tag:yaml.org,2002:merge", "^(?:<<)$", 0, "<"),
    ("tag:yaml.org,2002:null", '''^(?: ~
        |null|Null|NULL
        | )$''', re.X, ("~", "n", "N", "")),
    ("tag:yaml.org,2002:timestamp", '''^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
        |[0-9][0-9][0-9][0-9] -[0-9][0-9]? -[0-9][0-9]?
        (?:[Tt]|[ \\t]+)[0-9][0-9]?
        :[0-9][0-9] :[0-9][0-9] (?:\\.[0-9]*)?
        (?:[ \\t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$''', re.X, "0123456789"),
    ("tag:yaml.org,2002:value", "^(?:=)$", 0, "="),
    ("tag:yaml.org,2002:yaml", "^(?:!|&|\\*)$", 0, "!&*"),
)
# The YAML 1.2 resolver only ever looks past ``str`` for values starting with these.
_RESOLVABLE_FIRST = frozenset(first for *_, firsts in YAML12_RESOLVERS for first in firsts if first)
_MEMO_LIMIT = 4096
# Short plain scalars seen before (keys, fact values) and their tag: most scalars of a
# batch repeat. Values that must defer are never stored.
_resolved: dict[str, str] = dict(_PLAIN_TAGS)


class Defer(Exception):
    """The fast path is not sure: use the round-trip loader for this file."""


# PyYAML's node types, bound by ``_parser_class`` on first use.
ScalarNode: Any = None
MappingNode: Any = None
SequenceNode: Any = None


@lru_cache(maxsize=1)
def _parser_class() -> Any:
    """libyaml's parser, imported on first use: a case that yaml-rs reads and a cached ruleset need no PyYAML (20 ms)."""
    global ScalarNode, MappingNode, SequenceNode
    from yaml.cyaml import CParser
    from yaml.nodes import MappingNode, ScalarNode, SequenceNode
    from yaml.resolver import BaseResolver

    class _Parser(CParser, BaseResolver):
        """libyaml composing the node tree, with YAML 1.2 resolution of plain scalars."""

        def __init__(self, stream: str):
            CParser.__init__(self, stream)
            BaseResolver.__init__(self)

        def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
            if kind is not ScalarNode:
                return super().resolve(kind, value, implicit)
            if not implicit[0]:
                return _STR  # quoted or block scalar: always text
            tag = _resolved.get(value)
            if tag is None:
                tag = _resolve_plain(value)
                if len(value) <= 64 and len(_resolved) < _MEMO_LIMIT:
                    _resolved[value] = tag
            return tag

    return _Parser


def _resolve_plain(value: str) -> str:
    if value[:1] not in _RESOLVABLE_FIRST:
        return _STR
    for pattern, sure_tag in _SURE_FORMS:
        if pattern.fullmatch(value):
            return sure_tag
    if yaml12_tag(value) == _STR:
        return _STR
    raise Defer(f"plain scalar {value!r} needs the YAML 1.2 resolver")


def yaml12_tag(value: str) -> str:
    """The tag YAML 1.2 gives a plain scalar, as ruamel's resolver gives it."""
    for tag, pattern in _yaml12().get(value[:1], ()):
        if pattern.match(value):
            return tag
    return _STR


@lru_cache(maxsize=1)
def _yaml12() -> dict[str, list[tuple[str, re.Pattern[str]]]]:
    """First character → the resolvers tried for it (compiled on first need: most files never need one)."""
    table: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    for tag, pattern, flags, firsts in YAML12_RESOLVERS:
        compiled = re.compile(pattern, flags)
        for first in firsts:
            table.setdefault(first, []).append((tag, compiled))
    return table


def _date(text: str) -> dt.date:
    return dt.date(int(text[:4]), int(text[5:7]), int(text[8:10]))


# Only the tags ``resolve`` hands out; anything else (an explicit tag) defers.
_SCALARS: dict[str, Callable[[str], Any]] = {
    _STR: str,
    "tag:yaml.org,2002:bool": lambda text: text in ("true", "True", "TRUE"),
    "tag:yaml.org,2002:null": lambda text: None,
    "tag:yaml.org,2002:int": int,
    "tag:yaml.org,2002:timestamp": _date,
}
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


def _build(node: Any, depth: int = 0, budget: list[int] | None = None) -> Any:
    """Plain data from the node tree; lighter than PyYAML's constructor.

    With anchors and aliases (``parse_shared``) an aliased node is built once
    per alias, so ``budget`` counts the nodes built, keys included, as the
    round-trip loader counts them once aliases are expanded.
    """
    if budget is not None:
        budget[0] -= 1
        if budget[0] <= 0:
            raise Defer("too many nodes once aliases are expanded")
    if depth > MAX_FAST_DEPTH:
        raise Defer("deeply nested (or a recursive alias)")
    if isinstance(node, ScalarNode):
        convert = _SCALARS.get(node.tag)
        if convert is None:
            raise Defer(f"tag {node.tag}")
        return convert(node.value)
    if isinstance(node, MappingNode) and node.tag == _MAP:
        mapping = {}
        for key, value in node.value:
            if budget is not None:
                budget[0] -= 1  # the key
            mapping[_key(key)] = _build(value, depth + 1, budget)
        if len(mapping) != len(node.value):
            raise Defer("duplicate key")
        return mapping
    if isinstance(node, SequenceNode) and node.tag == _SEQ:
        return [_build(item, depth + 1, budget) for item in node.value]
    raise Defer(f"tag {node.tag}")


def _key(node: Any) -> str:
    # Case files only have text keys; any other key is for the round-trip loader to judge.
    if isinstance(node, ScalarNode) and node.tag == _STR:
        return node.value
    raise Defer("a key that is not text")


def parse(text: str) -> Any:
    """Plain data of one YAML document, or Defer."""
    if len(text) > MAX_FAST_BYTES or text.count("[") + text.count("{") > MAX_FLOW_BRACKETS or not plain_yaml.within_limits(text):
        raise Defer("large or deeply nested, or many nodes")
    if any(mark in text for mark in _DOUBTFUL_MARKS) or text.startswith("%") or "\n%" in text:
        raise Defer("tags, anchors, aliases, merge keys or directives")
    return _composed(text, None)


# Still doubtful when anchors and aliases are read (``parse_shared``): tags, merge keys.
_DOUBTFUL_SHARED = ("!", "<<")


def parse_shared(text: str, max_nodes: int) -> Any:
    """``parse``, reading anchors and aliases too: each alias becomes a copy of its anchor's value.

    Why: rulesets name a citation once (``cites: &article17_1``) and reuse it,
    and the round-trip loader costs ten times libyaml. The tree is built copy by
    copy, so fewer than ``max_nodes`` nodes (the round-trip loader's limit, aliases
    expanded) bound the work an alias bomb can cause; past it, or on a duplicate
    or recursive anchor, Defer, and the round-trip loader says what is wrong.
    """
    if len(text) > MAX_FAST_BYTES or text.count("[") + text.count("{") > MAX_FLOW_BRACKETS:
        raise Defer("large or deeply nested")
    if any(mark in text for mark in _DOUBTFUL_SHARED) or text.startswith("%") or "\n%" in text:
        raise Defer("tags, merge keys or directives")
    return _composed(text, [max_nodes])


def _composed(text: str, budget: list[int] | None) -> Any:
    parser = _parser_class()(text)
    try:
        node = parser.get_single_node()
        return None if node is None else _build(node, budget=budget)
    except Defer:
        raise
    except Exception as exc:  # libyaml errors (a duplicate anchor among them), bad dates, unhashable keys, deep nesting
        raise Defer(str(exc)) from None  # the round-trip loader explains
    finally:
        parser.dispose()


# O_NONBLOCK: opening a FIFO must not wait for a writer (regular files ignore it).
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def read_bytes(path: Path | str) -> bytes:
    """A regular file's bytes in one ``read`` sized by ``fstat``, or Defer.

    Why not ``yaml_source.read_bytes``: it stats the path three times and reads
    into a buffer as large as the file limit (1 MiB) for a file of 2 KB, a
    quarter of a batch worker's time. Anything unusual (not a regular file,
    unreadable, past the fast limit, changing while read) is the round-trip
    loader's to report.
    """
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError:
        raise Defer("cannot open") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FAST_BYTES:
            raise Defer("not a small regular file")
        raw = os.read(fd, info.st_size + 1)  # one byte more: a file that grew since fstat is noticed
    except OSError:
        raise Defer("cannot read") from None
    finally:
        os.close(fd)
    if len(raw) != info.st_size:
        raise Defer("the file changed while it was read")
    return raw


def read(path: Path | str) -> Any:
    """Plain data of a case file, or Defer (also for any file the round-trip loader should read or refuse)."""
    try:
        text = read_bytes(path).decode("utf-8-sig")  # other encodings and BOMs: yaml_source.decode
    except UnicodeDecodeError:
        raise Defer("not UTF-8") from None
    return parse_case_text(text)


def parse_case_text(text: str) -> Any:
    """Plain data of a case file's text, or Defer: yaml-rs for the plain subset, else libyaml."""
    try:
        return plain_yaml.parse(text)  # most case files: yaml-rs, four times faster
    except plain_yaml.NotPlain:
        return parse(text)
