"""The plain YAML most case files are written in, read by yaml-rs (Rust), or "not plain".

Why: in a batch, parsing is a large share of the cost, and libyaml through
PyYAML builds a Python object per node and mark (``fast_source``, about
110 µs a case); yaml-rs, a YAML 1.2 parser, builds the data directly
(about 30 µs). It differs from the round-trip loader at the edges, though
(found by differential fuzzing: quoted dates become dates, controls, U+2028
and a BOM inside the text are accepted, ``?`` and ``:`` inside flow
collections, empty block scalars, whitespace lines before block content), so
it only sees texts that pass ``_PLAIN_DOCUMENT``: lines that are blank,
comments, ``key: value`` with an identifier as key, ``- value``, one-line flow
sequences and mappings of such values, and literal or folded block scalars
(no chomping or indentation indicator, content lines indented and not blank
with spaces). A value is text that starts with no digit, sign, dot or YAML
indicator and holds no quote, comment, flow or tag character, or an ISO date.
In that subset the YAML 1.2 meaning is that of the round-trip loader: a
property test checks ``parse(text)`` equals it or raises ``NotPlain``.
Anything else goes to ``fast_source``'s libyaml path, then to the round-trip
loader. Without yaml-rs installed, every text is "not plain".
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from rongcuo_cli.load.yaml_source import MAX_DEPTH, MAX_NODES


@lru_cache(maxsize=1)
def yaml_rs() -> Any:
    """The yaml-rs module, imported on first use (about 20 ms: a batch earns it back, one case does not).

    None on a platform without its wheel: then the libyaml path reads everything.
    A batch imports it before forking its workers.
    """
    try:
        import yaml_rs as module
    except ImportError:
        return None
    return module


class NotPlain(Exception):
    """The text is outside the plain subset (or yaml-rs refused it): read it another way."""


_NEVER_INSIDE = r"\s#:,\[\]{}'\"!&*|>%@`\\<"  # comment, flow, quote, tag, anchor, alias, block, directive, escape
_NEVER_FIRST = r"0-9+\-.~?="  # numbers, null, sequence and key indicators
_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
_TEXT = rf"(?:{_DATE}(?=[ ,\]}}\n])|[^{_NEVER_INSIDE}{_NEVER_FIRST}](?:[^{_NEVER_INSIDE[2:]}\n]*[^{_NEVER_INSIDE}])?)"
_KEY = r"(?!(?:true|True|TRUE|false|False|FALSE|null|Null|NULL):)[A-Za-z_][A-Za-z0-9_]*"
_VALUE = rf"(?:{_TEXT}|\[ *(?:{_TEXT}(?: *, *{_TEXT})*)? *\]|\{{ *(?:{_KEY}: +{_TEXT}(?: *, *{_KEY}: +{_TEXT})*)? *\}})"
_LINE_END = r"(?: +#[^\n]*)? *\n"
_PLAIN_DOCUMENT = re.compile(
    r"(?:"
    r" *(?:#[^\n]*)?\n"  # blank or comment
    # key: value, key: (a nested block follows), or key: | / > with at least one content line
    rf"|(?P<indent> *){_KEY}:(?: +[|>]{_LINE_END}\n*(?:(?P=indent) +\S[^\n]*\n\n*)+|(?: +{_VALUE})?{_LINE_END})"
    rf"| *- +{_VALUE}{_LINE_END}"
    r")*"
)
# Text whose characters mean the same to every YAML parser: no controls, tab, CR,
# NEL, U+2028/U+2029 (line breaks to YAML 1.1), BOM, surrogates.
# Written as the odd characters themselves: the same set as "not in the allowed ranges",
# which takes seven times longer to compile at every start (a test checks every code point).
_ODD_CHARACTER = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")


# Every node but the root follows one of these marks (a key and its value: two nodes), so
# the text bounds the count the round-trip loader refuses past; it must be refused here too.
_NODE_MARKS = (":", "-", ",", "?", "[", "{")
# In the plain subset a level of nesting needs a deeper indent (but for a sequence under
# its key and one flow collection): lines indented less than this stay under MAX_DEPTH.
_DEEP_INDENT = "\n" + " " * (MAX_DEPTH // 2)


def within_limits(text: str) -> bool:
    """Whether ``text`` surely has fewer nodes than the round-trip loader's limit (any YAML without aliases)."""
    return 2 * sum(map(text.count, _NODE_MARKS)) + 1 <= MAX_NODES


def is_plain(text: str) -> bool:
    return (_ODD_CHARACTER.search(text) is None and _DEEP_INDENT not in "\n" + text and within_limits(text)
            and _PLAIN_DOCUMENT.fullmatch(text) is not None)


def parse(text: str) -> Any:
    """Plain data of a plain document (dates as ``datetime.date``), or NotPlain."""
    parser = yaml_rs()
    if parser is None or not is_plain(text):
        raise NotPlain
    try:
        return parser.loads(text)  # duplicate keys are an error by default
    except Exception:  # its errors, or any surprise: the other readers decide and explain
        raise NotPlain from None
