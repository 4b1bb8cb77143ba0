"""Batch records spliced from cached trail entries are the bytes of the plain serialisation, hostile text included."""

from __future__ import annotations

import json
import pickle
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rongcuo_cli.batch import ruling_bytes
from rongcuo_cli.batch.record import COMPACT, assess_file, load_case_fast
from rongcuo_cli.batch.ruling_bytes import Fragments, FragmentTable, ruling_record
from rongcuo_cli.batch.run import BatchOptions, run as run_batch
from rongcuo_cli.engine.advice import advise
from rongcuo_cli.load.ruleset_loader import load_ruleset
from rongcuo_cli.load.vocabulary import load_vocabulary
from rongcuo_cli.model.ruling import Ruling, TrailEntry
from rongcuo_cli.model.safe_text import json_bytes

from .conftest import ROOT, SAMPLES
from .test_hostile_text import HOSTILE_TITLE, RAW, hostile_case

SAMPLE_FILES = sorted(SAMPLES.glob("*/*.yaml"))
# The serialiser before records were spliced: the whole ruling through pydantic, then escaped.
_OLD_UNSAFE = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xd8\x9c|\xe2\x80[\x8e\x8f\xa8-\xae]|\xe2\x81[\xa6-\xa9]")


def old_record(ruling: Ruling) -> bytes:
    return _old_json_bytes(Ruling.__pydantic_serializer__.to_json(ruling))


def _old_json_bytes(data: bytes) -> bytes:
    return _OLD_UNSAFE.sub(lambda m: f"\\u{ord(m.group().decode('utf-8')):04x}".encode("ascii"), data)


def plain_record(ruling: Ruling) -> bytes:
    """Contract 2 as plain data, compact: what a record means."""
    return json_bytes(json.dumps(ruling.as_dict(), ensure_ascii=False, separators=COMPACT).encode("utf-8"))


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_sample_record_is_byte_identical_to_the_old_and_the_plain_serialisation(path):
    ruleset = load_ruleset(path.parent.name)
    ruling = advise(load_case_fast(path), ruleset, load_vocabulary(), analyse=False)
    record = ruling_record(ruling)
    assert record == old_record(ruling) == plain_record(ruling)
    assert json.loads(record) == ruling.as_dict()


def hostile_ruleset(folder: Path) -> Path:
    """jiaozuo with terminal escapes and a bidi override in a rule title, which every trail carries."""
    text = (ROOT / "rulesets" / "jiaozuo.yaml").read_text(encoding="utf-8")
    plain = "    title: 明知故犯（三个区分开来之一）\n"
    assert plain in text
    path = folder / "hostile.yaml"
    path.write_text(text.replace(plain, '    title: "明知\\e]0;x\\a故犯\\u202e\\x9b31m\\u2066"\n'), encoding="utf-8")
    return path


def test_hostile_case_and_ruleset_text_is_escaped_exactly_as_before(tmp_path):
    ruleset = load_ruleset(str(hostile_ruleset(tmp_path)))
    vocab = load_vocabulary()
    case = hostile_case(tmp_path, case_id="ID\x1b[2J\u202e")
    ruling = advise(load_case_fast(case), ruleset, vocab, analyse=False)
    record = ruling_record(ruling)
    assert record == old_record(ruling) == plain_record(ruling)
    text = record.decode("utf-8")
    for char in RAW:
        assert char not in text
    assert "\\u001b]0;x\\u0007" in text and json.loads(record)["case_title"] == HOSTILE_TITLE


def test_a_batch_through_workers_writes_the_old_bytes(tmp_path):
    folder = tmp_path / "cases"
    folder.mkdir()
    for path in sorted((SAMPLES / "jiaozuo").glob("*.yaml")):
        shutil.copy(path, folder / path.name)
    hostile_case(folder, "zz_hostile.yaml", case_id="ZZ\u202e")
    ruleset_path = str(hostile_ruleset(tmp_path))
    written: list[bytes] = []
    files = sorted(str(p) for p in folder.glob("*.yaml"))
    run_batch(files, BatchOptions(ruleset=ruleset_path, jobs=2), lambda result: written.append(result.json))
    ruleset, vocab = load_ruleset(ruleset_path), load_vocabulary()
    assert written == [old_record(advise(load_case_fast(Path(f)), ruleset, vocab, analyse=False)) for f in files]


def test_fragments_cross_a_pickle_and_start_over_when_full(monkeypatch):
    """What a worker sends, chunk by chunk, rebuilds the same records in the parent, also after the worker starts over."""
    monkeypatch.setattr(ruling_bytes, "FRAGMENT_LIMIT", 3)
    ruleset, vocab = load_ruleset("jiaozuo"), load_vocabulary()
    rulings = [advise(load_case_fast(p), ruleset, vocab, analyse=False) for p in sorted((SAMPLES / "jiaozuo").glob("*.yaml"))]
    worker, parent = Fragments(), FragmentTable()
    started_over = False
    for chunk in (rulings[:4], rulings[4:9], rulings[9:]):
        worker.start_chunk()
        parts = [worker.spliced(r) for r in chunk]
        (first, new), parts = pickle.loads(pickle.dumps((worker.take_new(), parts)))
        started_over |= first == 0 and bool(parent.table)
        parent.update(first, new)
        assert [parent.join(p) for p in parts] == [old_record(r) for r in chunk]
        assert len(parent.table) == len(worker.table)  # the parent mirrors the worker, never more
    assert started_over


def test_a_new_entry_object_with_known_content_keeps_its_number():
    ruleset, vocab = load_ruleset("jiaozuo"), load_vocabulary()
    ruling = advise(load_case_fast(sorted((SAMPLES / "jiaozuo").glob("*.yaml"))[0]), ruleset, vocab, analyse=False)
    fragments = Fragments()
    first = [fragments.number(e, TrailEntry) for e in ruling.trail]
    copies = [e.model_copy() for e in ruling.trail]
    assert [fragments.number(e, TrailEntry) for e in copies] == first
    assert len(fragments.table) == len(set(first))


def test_worker_records_travel_as_parts_and_csv_needs_none():
    ruleset, vocab = load_ruleset("jiaozuo"), load_vocabulary()
    path = sorted((SAMPLES / "jiaozuo").glob("*.yaml"))[0]
    fragments = Fragments()
    sent = assess_file(0, path, ruleset, vocab, fragments=fragments)
    assert sent.json == b"" and sent.parts is not None
    assert len(pickle.dumps(sent)) < len(assess_file(0, path, ruleset, vocab).json) / 2
    assert assess_file(0, path, ruleset, vocab, with_json=False, fragments=fragments).parts is None


UNSAFE_PIECES = [bytes([b]) for b in range(0x20)] + [b"\x7f", b"\t", b"\n", b"a", b"\\", b'"'] + [
    c.encode("utf-8") for c in "\u0080\u009f\u00a0\u00b7\u061c\u0600\u200d\u200e\u200f\u2027\u2028\u202e\u202f\u2065\u2066\u2069\u206a“”…—中"
]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(UNSAFE_PIECES), max_size=12))
def test_json_bytes_escapes_exactly_what_the_old_pattern_did(pieces):
    data = b"".join(pieces)
    assert json_bytes(data) == _old_json_bytes(data)


@pytest.mark.parametrize("ruleset_name", sorted({p.parent.name for p in SAMPLE_FILES}))
def test_shared_parts_are_spliced_not_serialised_per_record(ruleset_name):
    """Only a small rest of each record is serialised per case; the trail, guidance, procedure and measure are numbered."""
    ruleset, vocab = load_ruleset(ruleset_name), load_vocabulary()
    fragments = Fragments()
    for path in sorted((SAMPLES / ruleset_name).glob("*.yaml")):
        ruling = advise(load_case_fast(path), ruleset, vocab, analyse=False)
        program = fragments.spliced(ruling).program
        literal = sum(len(piece) for piece in program if isinstance(piece, bytes))
        assert literal * 3 < len(fragments.record(ruling)), path.name
        assert [piece for piece in program if isinstance(piece, tuple)][0] == tuple(fragments.number(e, TrailEntry) for e in ruling.trail)


def test_an_object_of_another_type_than_its_field_makes_the_ruling_serialised_whole():
    from rongcuo_cli.model.ruling import TrailEntry as Entry

    class Annotated(Entry):  # a subclass would be serialised as its field's type, not its own
        pass

    ruleset, vocab = load_ruleset("jiaozuo"), load_vocabulary()
    ruling = advise(load_case_fast(sorted((SAMPLES / "jiaozuo").glob("*.yaml"))[0]), ruleset, vocab, analyse=False)
    odd = ruling.model_copy(update={"trail": [Annotated(**ruling.trail[0].__dict__), *ruling.trail[1:]]})
    spliced = Fragments().spliced(odd)
    assert len(spliced.program) == 1 and spliced.join([]) == old_record(odd)


def test_a_key_that_could_be_mistaken_for_a_cut_makes_the_fields_serialised_run_by_run():
    from rongcuo_cli.batch.ruling_bytes import _runs_of

    ruleset, vocab = load_ruleset("jiaozuo"), load_vocabulary()
    undetermined = [r for r in (advise(load_case_fast(p), ruleset, vocab, analyse=False) for p in sorted((SAMPLES / "jiaozuo").glob("*.yaml")))
                    if r.presumed is not None][0]
    # A presumed ruling repeats "outcome_range" inside an object, after the cut: the first occurrence is still the cut.
    assert _runs_of(undetermined) == _runs_of(undetermined, one_by_one=True)
    # A source named like the key after a run: the cut cannot be told from it, so each run is serialised apart.
    odd = undetermined.model_copy(update={"source_titles": {**undetermined.source_titles, "notice": "x", "zz": ',"notice":'}})
    assert _runs_of(odd) == _runs_of(odd, one_by_one=True)
    assert ruling_record(odd) == old_record(odd) == plain_record(odd)
