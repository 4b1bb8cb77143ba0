"""Property: whatever text a case holds, nothing raw comes out (issue #12).

Arbitrary text — C0/C1 controls, bidi overrides, formula prefixes — goes into a
case's id, title and summary, and a huge number into a field; the case is
loaded and written in all three batch formats. Out of every format come no raw
control or bidi characters, no live formula, no internal error, and JSON that
decodes to exactly the text that went in.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from hypothesis import given, strategies as st

from rongcuo_cli.batch.output import make_sink
from rongcuo_cli.batch.record import assess_file
from rongcuo_cli.load.ruleset_loader import load_ruleset
from rongcuo_cli.load.vocabulary import load_vocabulary

from .conftest import SAMPLES

BASE = (SAMPLES / "jiaozuo" / "waived_flood_emergency.yaml").read_text(encoding="utf-8")
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")
HOSTILE = st.sampled_from(["\x1b", "\x1b[31m", "\x9b", "\x07", "\x00", "\r", "\x7f", "\u202e", "\u2066", "\u200f", "\u2028",
                           "=", "+", "-", "@", "\t", "=HYPERLINK(\"x\")", "9" * 5000, "标题", "a", " "])
TEXT = st.lists(st.one_of(HOSTILE, st.text(max_size=5)), min_size=1, max_size=8).map("".join)


def _escaped(char: str) -> str:
    code = ord(char)
    if " " <= char <= "~" and char not in '"\\':
        return char
    return f"\\U{code:08x}" if code > 0xFFFF else f"\\u{code:04x}"


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar holding exactly ``text`` (\\U for characters past the BMP, no surrogates)."""
    return '"' + "".join(map(_escaped, text)) + '"'


def _write(case_id: str, title: str, summary: str, number: str | None, folder: Path) -> Path:
    text = BASE.replace("case_id: JZ-2023-011", "case_id: " + _quoted(case_id))
    text = text.replace("title: 某乡镇在特大暴雨中紧急转移群众时临时征用民房造成财产损失", "title: " + _quoted(title))
    text = re.sub(r"summary: \|\n(  .*\n)+", lambda _: "summary: " + _quoted(summary) + "\n", text, count=1)
    assert "summary: " + _quoted(summary) in text
    if number is not None:
        text += f"extra_number: {number}\n"
    path = folder / "case.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@given(case_id=TEXT, title=TEXT, summary=TEXT, number=st.one_of(st.none(), st.integers(min_value=90, max_value=6000).map(lambda n: "9" * n)))
def test_nothing_raw_comes_out_of_any_batch_format(tmp_path_factory, case_id, title, summary, number):
    folder = tmp_path_factory.mktemp("hostile")
    case_id, title = "A" + case_id, "标" + title  # never blank: a blank id or title is an error of its own
    path = _write(case_id, title, summary, number, folder)
    result = assess_file(0, path, load_ruleset("jiaozuo"), load_vocabulary())
    assert not result.internal, result.json[:500]
    for fmt in ("jsonl", "json", "csv"):
        buffer = io.BytesIO()
        sink = make_sink(fmt, buffer)
        sink.write(result)
        sink.close()
        written = buffer.getvalue().decode("utf-8")
        assert not RAW.search(written), (fmt, written[:300])
        if fmt == "jsonl":
            record = json.loads(written)
            if number is None:  # a valid case: its ruling carries the text exactly
                assert "error" not in record, record
                assert record["case_title"] in (title, title.strip())
        if fmt == "csv":
            for row in list(csv.reader(io.StringIO(written)))[1:]:
                for cell in row:
                    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")) or re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", cell), cell
