"""``rongcuo batch`` as a user meets it: one record per file, formats, order, exit codes, summary, failures."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rongcuo_cli.batch.run import FAULT_ENV, FAULT_MARK, BatchOptions, Interrupted, discover, run as run_batch
from rongcuo_cli.load.case_file import load_case
from rongcuo_cli.cli import app
from rongcuo_cli.engine.advice import advise
from rongcuo_cli.load.ruleset_loader import load_ruleset
from rongcuo_cli.load.vocabulary import load_vocabulary

from .conftest import ROOT, SAMPLES

runner = CliRunner()
SAMPLE_FILES = sorted((SAMPLES / "jiaozuo").glob("*.yaml"))


def run(*args: str, env: dict[str, str] | None = None):
    return runner.invoke(app, list(args), env={"COLUMNS": "120", "NO_COLOR": "1", **(env or {})})


@pytest.fixture
def cases(tmp_path: Path) -> Path:
    """The jiaozuo samples, a nested folder, and three bad files mixed in."""
    folder = tmp_path / "cases"
    (folder / "nested").mkdir(parents=True)
    for path in SAMPLE_FILES[:6]:
        shutil.copy(path, folder / path.name)
    for path in SAMPLE_FILES[6:]:
        shutil.copy(path, folder / "nested" / path.name)
    (folder / "bad_syntax.yaml").write_text("case_id: B1\ntitle: [未闭合\n", encoding="utf-8")
    (folder / "bad_schema.yml").write_text(
        "case_id: B2\ntitle: 某案\nsubject:\n  kind: individual\nfacts:\n  private_gain: yes\n  colective_decision: true\n",
        encoding="utf-8",
    )
    (folder / "nested" / "notes.txt").write_text("不是案件", encoding="utf-8")
    return folder


def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def expected_files(folder: Path) -> list[str]:
    return sorted((str(p) for p in folder.rglob("*") if p.suffix in (".yaml", ".yml")), key=lambda s: Path(s).as_posix())


def test_mixed_batch_writes_one_record_per_file_in_sorted_order(cases, tmp_path):
    out = tmp_path / "out.jsonl"
    result = run("batch", str(cases), "--ruleset", "jiaozuo", "--output", str(out), "--quiet", "--jobs", "2")
    assert result.exit_code == 1, result.output  # bad inputs: exit 1, the others still written
    rows = records(out)
    files = expected_files(cases)
    assert len(rows) == len(files) == len(SAMPLE_FILES) + 2
    assert [r.get("file") or _file_of(r, cases) for r in rows] == files
    ruleset, vocab = load_ruleset("jiaozuo"), load_vocabulary()
    for row, file in zip(rows, files):
        if "error" in row:
            continue
        assert row == advise(load_case(Path(file)), ruleset, vocab, analyse=False).model_dump(mode="json")
    errors = {Path(r["file"]).name: r["error"] for r in rows if "error" in r}
    assert set(errors) == {"bad_syntax.yaml", "bad_schema.yml"}
    syntax = errors["bad_syntax.yaml"]
    assert syntax["file"].endswith("bad_syntax.yaml") and syntax["line"] == 3 and syntax["code"] == "yaml-syntax"
    schema = errors["bad_schema.yml"]
    assert (schema["line"], schema["column"]) == (6, 17) and "是/否（或 true/false）" in schema["message"]
    assert [d["code"] for d in schema["diagnostics"]] == ["type", "unknown-key"]
    assert "collective_decision" in schema["diagnostics"][1]["hint"]


def _file_of(ruling: dict, folder: Path) -> str:
    """Rulings carry the case id, not the file; find the sample it came from."""
    for path in folder.rglob("*.yaml"):
        if f"case_id: {ruling['case_id']}\n" in path.read_text(encoding="utf-8"):
            return str(path)
    raise AssertionError(ruling["case_id"])


@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv"])
def test_output_is_byte_identical_for_one_and_two_jobs(cases, tmp_path, fmt):
    one, two = tmp_path / f"one.{fmt}", tmp_path / f"two.{fmt}"
    assert run("batch", str(cases), "-r", "jiaozuo", "-o", str(one), "-q", "--jobs", "1").exit_code == 1
    assert run("batch", str(cases), "-r", "jiaozuo", "-o", str(two), "-q", "--jobs", "2").exit_code == 1
    assert one.read_bytes() == two.read_bytes()


def test_json_is_one_array_with_the_jsonl_records(cases, tmp_path):
    run("batch", str(cases), "-r", "jiaozuo", "-o", str(tmp_path / "a.jsonl"), "-q")
    run("batch", str(cases), "-r", "jiaozuo", "-o", str(tmp_path / "a.json"), "-q")
    assert json.loads((tmp_path / "a.json").read_text(encoding="utf-8")) == records(tmp_path / "a.jsonl")


def test_csv_has_one_row_per_case_with_outcome_in_english_and_chinese(cases, tmp_path):
    out = tmp_path / "a.csv"
    run("batch", str(cases), "-r", "jiaozuo", "-o", str(out), "-q")
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert list(rows[0]) == [
        "file", "case_id", "outcome", "outcome_label", "outcome_range", "presumed_outcome", "matched", "exclusions", "missing_facts", "error",
    ]
    assert [r["file"] for r in rows] == expected_files(cases)
    by_name = {Path(r["file"]).name: r for r in rows}
    flood = by_name["waived_flood_emergency.yaml"]
    assert (flood["outcome"], flood["outcome_label"], flood["error"]) == ("waived", "免除", "")
    assert "condition_3_non_human" in flood["matched"].split(";")
    accident = by_name["not_tolerated_major_accident.yaml"]
    assert accident["outcome_label"] == "不予容错" and accident["exclusions"] == "exclusion_2_major_loss"
    assert by_name["undetermined_historical_issue.yaml"]["missing_facts"]
    bad = by_name["bad_schema.yml"]
    assert bad["outcome"] == "" and bad["error"].startswith("6:17: ")


def test_all_good_exits_0_and_jsonl_goes_to_stdout_without_output(tmp_path):
    result = run("batch", *map(str, SAMPLE_FILES[:3]), "-r", "jiaozuo", "-q")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert [json.loads(line)["case_id"] for line in lines] == [load_case(p).case_id for p in SAMPLE_FILES[:3]]


def test_summary_counts_outcomes_exclusions_situations_gaps_and_errors(cases, tmp_path):
    result = run("batch", str(cases), "-r", "jiaozuo", "-o", str(tmp_path / "x.jsonl"))
    out = result.stdout
    assert f"批量审查：{len(SAMPLE_FILES) + 2} 个文件" in out
    assert "认定结果" in out and "不予容错" in out and "not_tolerated" in out
    assert "成立的不予容错情形" in out and "exclusion_2_major_loss" in out
    assert "符合的适用情形" in out and "最常缺失的事实" in out
    assert "有问题的文件：2 个" in out
    assert "bad_schema.yml:6:17" in out and "bad_syntax.yaml:3" in out
    assert "已写入" in out
    outcome_rows = {line.split("│")[2].strip(): line.split("│")[3].strip() for line in out.splitlines() if line.count("│") == 5}  # 结果 编号 严格结论 推定结论
    # each sample's name starts with the outcome it should get
    expected = {o: sum(p.name.startswith(o) for p in SAMPLE_FILES) for o in ("waived", "reduced", "lighter", "not_tolerated", "undetermined")}
    assert {o: int(outcome_rows[o]) for o in expected} == expected and expected["not_tolerated"] > 1
    assert outcome_rows["error"] == "2" and outcome_rows[""] == str(len(SAMPLE_FILES) + 2)  # the 合计 row


def test_quiet_prints_nothing(cases, tmp_path):
    result = run("batch", str(cases), "-r", "jiaozuo", "-o", str(tmp_path / "x.jsonl"), "--quiet")
    assert result.stdout == ""


def test_duplicate_case_id_makes_the_later_file_an_error_record(tmp_path):
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    shutil.copy(SAMPLE_FILES[0], first)
    second.write_text("title: 另一案\ncase_id: " + load_case(first).case_id + "\nsubject:\n  kind: unit\n", encoding="utf-8")
    out = tmp_path / "o.jsonl"
    assert run("batch", str(tmp_path), "-r", "jiaozuo", "-o", str(out), "-q").exit_code == 1
    rows = records(out)
    assert "case_id" in rows[0] and rows[1]["error"]["code"] == "duplicate-case-id"
    assert (rows[1]["error"]["line"], rows[1]["error"]["column"]) == (2, 10)
    assert str(first) in rows[1]["error"]["message"]


def test_glob_narrows_folders(cases, tmp_path):
    out = tmp_path / "o.jsonl"
    assert run("batch", str(cases), "-r", "jiaozuo", "--glob", "waived_*", "-o", str(out), "-q").exit_code == 0
    assert sorted(r["outcome"] for r in records(out)) == ["waived", "waived"]


@pytest.mark.parametrize("args", [
    ["batch", "nowhere", "-r", "jiaozuo"],
    ["batch", ".", "-r", "no_such_ruleset"],
    ["batch", ".", "-r", "jiaozuo", "-o", "out.txt"],
    ["batch", ".", "-r", "jiaozuo", "--format", "xml"],
    ["batch", ".", "-r", "jiaozuo", "--jobs", "0"],
])
def test_usage_errors_exit_2(args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(SAMPLE_FILES[0], tmp_path / "a.yaml")
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert not (tmp_path / "out.txt").exists()


def test_a_worker_that_dies_costs_one_error_record_and_nothing_else(cases, tmp_path):
    victim = cases / "nested" / f"{FAULT_MARK}.yaml"
    shutil.copy(SAMPLE_FILES[0], victim)
    victim.write_text(victim.read_text(encoding="utf-8").replace("JZ-2020-032", "JZ-VICTIM"), encoding="utf-8")
    out = tmp_path / "o.jsonl"
    result = run("batch", str(cases), "-r", "jiaozuo", "-o", str(out), "-q", "--jobs", "2", env={FAULT_ENV: "exit"})
    assert result.exit_code == 3  # a dead worker is rongcuo's failure, not the input's
    rows = records(out)
    files = expected_files(cases)
    assert len(rows) == len(files)
    died = [r for r in rows if r.get("error", {}).get("code") == "worker-died"]
    assert [r["file"] for r in died] == [str(victim)]
    assert sum("case_id" in r for r in rows) == len(SAMPLE_FILES)
    healthy = tmp_path / "h.jsonl"
    run("batch", str(cases), "-r", "jiaozuo", "-o", str(healthy), "-q", "--jobs", "1")
    assert [r for r in rows if r not in died] == [r for r in records(healthy) if r.get("file") != str(victim) and r.get("case_id") != "JZ-VICTIM"]


def test_interrupt_in_the_core_stops_and_reports_progress(cases):
    files = discover([cases])
    seen: list[str] = []

    def emit(result):
        seen.append(result.file)
        if len(seen) == 3:
            raise KeyboardInterrupt

    with pytest.raises(Interrupted) as stop:
        run_batch(files, BatchOptions(ruleset="jiaozuo", jobs=2), emit)
    assert (stop.value.done, stop.value.total) == (2, len(files))


def test_ctrl_c_leaves_no_file_and_says_how_far_it_got(cases, tmp_path):
    stuck = cases / "nested" / f"zz{FAULT_MARK}.yaml"
    shutil.copy(SAMPLE_FILES[0], stuck)
    out = tmp_path / "out" / "o.jsonl"
    out.parent.mkdir()
    env = {**os.environ, FAULT_ENV: "hang", "NO_COLOR": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "rongcuo_cli", "batch", str(cases), "-r", "jiaozuo", "-o", str(out), "--jobs", "1"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 30
    while not list(out.parent.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)  # let the worker reach the stuck file
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=30)
    assert process.returncode == 130, stderr
    total = len(expected_files(cases))
    assert "已中断：完成 " in stderr and f" / {total} 个文件；未写出任何输出文件" in stderr
    assert list(out.parent.iterdir()) == []
    assert "Traceback" not in stderr


def test_consistency_flags_same_facts_different_decisions(tmp_path):
    base = SAMPLES / "jiaozuo" / "waived_flood_emergency.yaml"
    text = base.read_text(encoding="utf-8")
    case_id = load_case(base).case_id
    for name, decision in (("a", "waived"), ("b", "lighter"), ("c", "waived")):
        (tmp_path / f"{name}.yaml").write_text(text.replace(case_id, f"{case_id}-{name}") + f"decision: {decision}\n", encoding="utf-8")
    other = SAMPLES / "jiaozuo" / "not_tolerated_repeated.yaml"
    (tmp_path / "d.yaml").write_text(other.read_text(encoding="utf-8") + "decision: not_tolerated\n", encoding="utf-8")
    result = run("batch", str(tmp_path), "-r", "jiaozuo", "-o", str(tmp_path / "o.jsonl"), "--consistency")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "4 个案件记录了实际认定结果，本工具与之一致 3 个（75.0%）" in out
    assert "同案不同判：1 组" in out
    group = [line for line in out.splitlines() if f"{case_id}-" in line]
    assert len(group) == 3 and any("从轻" in line for line in group)


def test_records_are_the_model_dump_as_compact_json(tmp_path):
    from rongcuo_cli.batch.record import COMPACT, assess_file

    ruleset, vocab = load_ruleset("jiaozuo"), load_vocabulary()
    for index, path in enumerate(SAMPLE_FILES):
        result = assess_file(index, path, ruleset, vocab)
        ruling = advise(load_case(path), ruleset, vocab, analyse=False)
        assert result.json == json.dumps(ruling.model_dump(mode="json"), ensure_ascii=False, separators=COMPACT).encode("utf-8")


def test_a_file_named_twice_or_inside_a_named_folder_yields_one_record(tmp_path):
    folder = tmp_path / "cases"
    folder.mkdir()
    for path in SAMPLE_FILES[:2]:
        shutil.copy(path, folder / path.name)
    named = folder / SAMPLE_FILES[0].name
    out = tmp_path / "o.jsonl"
    result = run("batch", str(named), str(folder), str(named), "-r", "jiaozuo", "-o", str(out), "-q")
    assert result.exit_code == 0, result.output
    assert sorted(r["case_id"] for r in records(out)) == sorted(load_case(p).case_id for p in SAMPLE_FILES[:2])


def test_duplicate_detection_is_exact_even_when_case_id_hashes_collide(tmp_path):
    import rongcuo_cli.batch.run as batch_module
    from rongcuo_cli.batch.compact import FirstUse

    first, other, again = tmp_path / "a.yaml", tmp_path / "b.yaml", tmp_path / "c.yaml"
    shutil.copy(SAMPLE_FILES[0], first)
    shutil.copy(SAMPLE_FILES[1], other)
    shutil.copy(SAMPLE_FILES[1], again)
    seen = FirstUse([str(first), str(other), str(again)], batch_module._case_id_of, hash_of=lambda value: 1)  # every id collides
    ruleset, vocab = load_ruleset("jiaozuo"), load_vocabulary()
    from rongcuo_cli.batch.record import assess_file

    results = [assess_file(i, p, ruleset, vocab) for i, p in enumerate((first, other, again))]
    assert [seen.first(r.index, r.case_id) for r in results] == [None, None, 1]


def test_batch_record_is_the_ruling_assess_gives(tmp_path):
    """A batch record carries what `assess --json --no-analysis` shows: deadlines and measures too."""
    import json as _json
    from typer.testing import CliRunner as _Runner
    from rongcuo_cli.cli import app as _app

    out = tmp_path / "out.jsonl"
    folder = ROOT / "samples" / "chuzhou"
    result = _Runner().invoke(_app, ["batch", str(folder), "-r", "chuzhou", "-o", str(out), "--quiet", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    records = [_json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    files = sorted(folder.glob("*.yaml"))
    assert len(records) == len(files)
    for path, record in zip(files, records):
        single = _Runner().invoke(_app, ["assess", str(path), "-r", "chuzhou", "--json", "--no-analysis"])
        assert record == _json.loads(single.output), path.name
    late = [r for r in records if r["case_id"] == "CZ-2024-013"][0]
    assert late["procedure"][0]["status"]["timely"] is False


def test_batch_checks_measure_range_like_assess(tmp_path):
    case = tmp_path / "mr.yaml"
    case.write_text("case_id: MR-1\ntitle: 测试\nsubject: {kind: individual}\nmeasure_range: [警告x]\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    from typer.testing import CliRunner as _Runner
    from rongcuo_cli.cli import app as _app
    result = _Runner().invoke(_app, ["batch", str(case), "-r", "jiaozuo", "-o", str(out), "--quiet", "--jobs", "1"])
    assert result.exit_code == 1
    assert '"code":"unknown-measure"' in out.read_text(encoding="utf-8")


def test_csv_starts_with_a_bom_for_spreadsheets_unless_no_bom(cases, tmp_path):
    with_bom, without = tmp_path / "a.csv", tmp_path / "b.csv"
    run("batch", str(cases), "-r", "jiaozuo", "-o", str(with_bom), "-q")
    run("batch", str(cases), "-r", "jiaozuo", "-o", str(without), "-q", "--no-bom")
    assert with_bom.read_bytes().startswith(b"\xef\xbb\xbffile,case_id,")
    assert without.read_bytes().startswith(b"file,case_id,")
    assert with_bom.read_bytes()[3:] == without.read_bytes()
