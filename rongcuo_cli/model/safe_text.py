"""Text from files shown or written without its control characters taking effect.

Why: case files, rulesets and file names are written by others. A title that
holds ``ESC ] 0 ; …`` retitles the terminal, ``ESC [ 31 m`` recolours it, a C1
``CSI`` (U+009B) does the same on some terminals, and a bidi override
(U+202E) makes a line read backwards. Such characters are shown as escapes
(``\\x1b``, ``\\u202e``) on screen and in messages, and written as ``\\u``
escapes in JSON, so the text says exactly what the file holds and does nothing.
Newline and tab are kept where a text may hold them.
"""

from __future__ import annotations

import json
import re

# C0 controls except tab and newline, DEL, C1 controls, the bidi embeddings,
# overrides, isolates and marks, and the Unicode line and paragraph separators.
_UNSAFE_CLASS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069"
UNSAFE = re.compile(f"[{_UNSAFE_CLASS}]")
UNSAFE_IN_LINE = re.compile(f"[{_UNSAFE_CLASS}\t\n]")  # for one-line fields: tab and newline too


def _shown(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape(text: str, *, one_line: bool = False) -> str:
    """``text`` with every unsafe character written as ``\\xNN`` / ``\\uNNNN`` (idempotent)."""
    pattern = UNSAFE_IN_LINE if one_line else UNSAFE
    return pattern.sub(_shown, text) if pattern.search(text) else text


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_text(text: str) -> str:
    """JSON text with the unsafe characters ``json.dumps(ensure_ascii=False)`` leaves raw as ``\\u`` escapes.

    They can only stand inside JSON strings, where ``\\uNNNN`` means the same
    character: the JSON decodes to the same data, and text without them is unchanged.
    """
    return UNSAFE.sub(_json_escape, text) if UNSAFE.search(text) else text


def json_document(data: object) -> str:
    """The project's one JSON form (``assess --json``, ``Ruling.as_json``): model order, indented, UTF-8 text, controls escaped."""
    return json_text(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"


_UNSAFE_BYTES = re.compile(
    rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xd8\x9c|\xe2\x80[\x8e\x8f\xa8-\xae]|\xe2\x81[\xa6-\xa9]"
)


def _json_escape_bytes(match: re.Match[bytes]) -> bytes:
    return f"\\u{ord(match.group().decode('utf-8')):04x}".encode("ascii")


# Why a separate test before the substitution: ``_UNSAFE_BYTES.search`` tries its
# alternatives at every byte (about 15 ns each: 450 µs for a 30 KB record), while
# ``in`` is a memchr and a pattern with a literal first byte skips ahead to it.
# Chinese text holds \xe2\x80 often (“ ” … —), so that lead byte gets a pattern;
# C0 controls are found by deleting every other byte (a table lookup per byte).
_E2_UNSAFE = re.compile(rb"\xe2(?:\x80[\x8e\x8f\xa8-\xae]|\x81[\xa6-\xa9])")
_C2_UNSAFE = re.compile(rb"\xc2[\x80-\x9f]")  # U+0080–U+009F; \xc2 also leads · ° §
_NOT_C0 = bytes(b for b in range(256) if not (b <= 0x08 or 0x0b <= b <= 0x1f))


def _may_hold_unsafe(data: bytes) -> bool:
    return (b"\x7f" in data or b"\xd8\x9c" in data or _C2_UNSAFE.search(data) is not None
            or _E2_UNSAFE.search(data) is not None or bool(data.translate(None, _NOT_C0)))


def json_bytes(data: bytes) -> bytes:
    """``json_text`` for UTF-8 JSON bytes (batch records), without decoding them."""
    return _UNSAFE_BYTES.sub(_json_escape_bytes, data) if _may_hold_unsafe(data) else data
