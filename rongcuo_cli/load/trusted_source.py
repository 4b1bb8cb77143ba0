"""Read a ruleset, the vocabulary or the ladders with libyaml; positions only when asked for.

Why: the round-trip loader takes most of a single ``rongcuo assess`` run, and
the positions it records are only read when a diagnostic is written, which for
a ruleset means a lint finding or an error. So a ruleset (shipped or the user's) is read with
the fast path of ``fast_source`` (same data, or it defers to the round-trip
loader on any doubt), and its positions are computed by the round-trip loader
the first time something asks for them. A user's file is no less safe this
way: the fast path defers to the round-trip loader, and its checks, on tags,
anchors, aliases, duplicate keys, directives and large or deep files.
"""

from __future__ import annotations

from typing import Any

from rongcuo_cli.load import fast_source
from rongcuo_cli.load import yaml_source

_POSITIONS = ("key_positions", "value_positions")


class _LazyDocument(yaml_source.Document):
    """A Document whose positions are filled in by the round-trip loader when first read."""

    def __init__(self, file: str, data: Any, text: str):
        super().__init__(file=file, data=data)
        del self.key_positions, self.value_positions  # so that reading them reaches __getattr__
        self._text = text

    def __getattr__(self, name: str) -> Any:
        if name not in _POSITIONS:
            raise AttributeError(name)
        full = yaml_source.parse(self._text, self.file)
        self.key_positions, self.value_positions = full.key_positions, full.value_positions
        return getattr(self, name)


def parse(text: str, file: str) -> yaml_source.Document:
    """The same Document as ``yaml_source.parse(text, file)``, positions computed on demand."""
    try:
        data = fast_source.parse(text)
    except fast_source.Defer:
        return yaml_source.parse(text, file)
    return _LazyDocument(file, data, text)
