"""Read a ruleset, the vocabulary or the ladders with libyaml; positions only when asked for.

Why: the round-trip loader takes most of a single ``rongcuo assess`` run, and
the positions it records are only read when a diagnostic is written, which for
a ruleset means a lint finding or an error. So a ruleset (shipped or the user's) is read with
the fast path of ``fast_source`` (same data, or it defers to the round-trip
loader on any doubt), and its positions are computed by the round-trip loader
the first time something asks for them. A user's file is no less safe this
way: the fast path defers to the round-trip loader, and its checks, on tags,
merge keys, duplicate keys or anchors, directives, and large or deep files;
anchors and aliases are read, within the round-trip loader's node limit.
"""

from __future__ import annotations

from typing import Any

from rongcuo_cli.load import fast_source
from rongcuo_cli.load import yaml_source

_POSITIONS = ("key_positions", "value_positions")
_UNREAD = object()


class LazyDocument(yaml_source.Document):
    """A Document whose positions, and data if not given, come from its text when first read.

    Why the data may wait too: a ruleset loaded from the cache needs neither
    unless a diagnostic is written; the text (or its bytes) is kept for that.
    """

    def __init__(self, file: str, text: str | bytes, data: Any = _UNREAD):
        super().__init__(file=file, data=data)
        del self.key_positions, self.value_positions  # so that reading them reaches __getattr__
        if data is _UNREAD:
            del self.data
        self._text = text

    def __getattr__(self, name: str) -> Any:
        if name == "data":
            self.data = _parse_data(self._source(), self.file)
            return self.data
        if name not in _POSITIONS:
            raise AttributeError(name)
        full = yaml_source.parse(self._source(), self.file)
        self.key_positions, self.value_positions = full.key_positions, full.value_positions
        return getattr(self, name)

    def _source(self) -> str:
        if isinstance(self._text, bytes):
            self._text = yaml_source.decode(self._text, self.file)
        return self._text


def parse(text: str, file: str) -> yaml_source.Document:
    """The same Document as ``yaml_source.parse(text, file)``, positions computed on demand."""
    try:
        data = fast_source.parse_shared(text, yaml_source.MAX_NODES)
    except fast_source.Defer:
        return yaml_source.parse(text, file)
    return LazyDocument(file, text, data)


def _parse_data(text: str, file: str) -> Any:
    try:
        return fast_source.parse_shared(text, yaml_source.MAX_NODES)
    except fast_source.Defer:
        return yaml_source.parse(text, file).data
