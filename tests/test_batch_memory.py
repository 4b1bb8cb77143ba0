"""What the batch parent keeps per file stays small, and nothing it needs is lost on the way."""

from __future__ import annotations

import gc
import json
import os
import shutil
import sys
import weakref
from pathlib import Path

from typer.testing import CliRunner

from rongcuo_cli.batch.compact import FirstUse, PathList
from rongcuo_cli.batch.run import BatchOptions, _case_id_of, discover, run as run_batch
from rongcuo_cli.cli import app

from .conftest import SAMPLES

SAMPLE_FILES = sorted((SAMPLES / "jiaozuo").glob("*.yaml"))


def test_path_list_gives_back_every_path_exactly():
    odd = os.fsdecode(b"cases/\xff\xfe-not-utf8.yaml")  # an undecodable name survives (surrogateescape)
    paths = ["a.yaml", "cases/x.yaml", "cases/sub/案件 1.yaml", "/abs/y.yml", "cases/x.yaml", odd, "cases//z.yaml", "", "dir/"]
    compact = PathList(paths)
    assert len(compact) == len(paths) and list(compact) == paths and compact == paths
    assert [compact[i] for i in range(-len(paths), 0)] == paths
    assert compact[2:5] == paths[2:5]


def test_path_list_is_a_fraction_of_a_list_of_strings():
    paths = [f"/tmp/rongcuo-bench-abcdefgh/5n/{i // 1000:03d}/case_{i:07d}.yaml" for i in range(20_000)]
    compact = PathList(paths)
    as_list = sys.getsizeof(paths) + sum(sys.getsizeof(p) for p in paths)
    as_compact = sum(sys.getsizeof(part) for part in (compact._names, compact._ends, compact._where)) + sum(map(sys.getsizeof, compact._folders))
    assert as_compact * 3 < as_list
    assert list(compact) == paths


def test_discover_gives_the_sorted_order_as_a_compact_list(tmp_path):
    for rel in ("b/2.yaml", "b-c/1.yaml", "a.yaml", "b/1.yml", "z/y/x.yaml", "b/notes.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x: 1\n", encoding="utf-8")
    found = discover([tmp_path])
    assert isinstance(found, PathList)
    expected = sorted((str(p) for p in tmp_path.rglob("*") if p.suffix in (".yaml", ".yml")), key=lambda s: Path(s).as_posix())
    assert list(found) == expected


def test_first_use_reports_the_first_file_of_each_case_id_and_skips_errors():
    files = [f"f{i}.yaml" for i in range(7)]
    ids = ["A", "B", None, "A", "C", "B", "A"]
    seen = FirstUse(files, lambda file: ids[files.index(file)])
    assert [seen.first(i, case_id) for i, case_id in enumerate(ids)] == [None, None, None, 0, None, 1, 0]


def test_first_use_is_exact_when_every_hash_collides():
    files = [f"f{i}.yaml" for i in range(6)]
    ids = ["A", "B", "C", "B", "A", "D"]
    reads: list[str] = []

    def case_id_of(file: str) -> str:
        reads.append(file)
        return ids[files.index(file)]

    seen = FirstUse(files, case_id_of, hash_of=lambda case_id: 42)
    assert [seen.first(i, case_id) for i, case_id in enumerate(ids)] == [None, None, None, 1, 0, None]
    assert reads  # a hash match alone is never taken for a duplicate


def test_first_use_table_is_a_few_bytes_a_file():
    seen = FirstUse(range(50_000), lambda file: None)  # type: ignore[arg-type]
    table = seen._hashes.itemsize * len(seen._hashes) + seen._firsts.itemsize * len(seen._firsts)
    assert table <= 50 * 50_000  # a dict of hash objects took about 110


def test_duplicate_case_ids_name_the_first_file_in_sorted_order(tmp_path):
    folder = tmp_path / "cases"
    (folder / "2021").mkdir(parents=True)
    (folder / "2020").mkdir()
    first, later, last = folder / "2020" / "b.yaml", folder / "2021" / "a.yaml", folder / "2021" / "c.yaml"
    for path in (first, later, last):
        shutil.copy(SAMPLE_FILES[0], path)
    (folder / "2020" / "a_broken.yaml").write_text("case_id: [\n", encoding="utf-8")
    shutil.copy(SAMPLE_FILES[1], folder / "2020" / "c_other.yaml")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["batch", str(folder), "-r", "jiaozuo", "-o", str(out), "-q", "--jobs", "2"])
    assert result.exit_code == 1, result.output
    records = {r.get("file") or r["case_id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert len(records) == 5
    for dup in (later, last):
        error = records[str(dup)]["error"]
        assert error["code"] == "duplicate-case-id" and str(first) in error["message"] and error["line"] is not None
    assert records[str(folder / "2020" / "a_broken.yaml")]["error"]["code"] != "duplicate-case-id"


def test_the_parent_keeps_no_record_once_it_is_written(tmp_path):
    """Records stream through: after a batch, none of them (or their JSON) is still held by the batch machinery."""
    folder = tmp_path / "cases"
    folder.mkdir()
    for path in SAMPLE_FILES:
        shutil.copy(path, folder / path.name)
    alive: list[weakref.ref] = []
    sizes: list[int] = []

    def emit(result) -> None:
        alive.append(weakref.ref(result))
        sizes.append(len(result.json))

    files = discover([folder])
    assert run_batch(files, BatchOptions(ruleset="jiaozuo", jobs=2), emit) == len(SAMPLE_FILES)
    gc.collect()
    assert min(sizes) > 1000 and not [ref for ref in alive if ref() is not None]


def test_a_hash_match_is_confirmed_by_reading_the_earlier_case_id_again(tmp_path):
    from rongcuo_cli.load.case_file import load_case

    assert _case_id_of(str(SAMPLE_FILES[0])) == load_case(SAMPLE_FILES[0]).case_id
    assert _case_id_of(str(tmp_path / "gone.yaml")) is None  # a file deleted meanwhile is no match
