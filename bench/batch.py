"""Benchmark rongcuo against its floors: batch, engine, analysis, start-up, compare, memory — one table.

Run:  python bench/batch.py [--n 10000] [--quick] [--ruleset jiaozuo] [--jobs J] [--rulesets a,b]

Each timing is the best of three runs (``--repeat``; the machine may be
shared), the two sides of each ratio run alternately; memory is the largest
of its runs. Generates N realistic case files
(about 40 lines, Chinese text, varied facts; about one in eight leaves key
facts open) in a temporary folder, and 5N more for memory, then measures:

- batch / floor: ``rongcuo batch`` (JSONL, default jobs) against one process
  that only reads and parses every file with PyYAML's CSafeLoader;
- memory: peak RSS of the largest process at 5N against N;
- engine: cases per second through the public API
  (``assess(case, ruleset).as_dict()``, one core, cases already loaded);
- analysis: ``assess EMPTY --json`` against the same with ``--no-analysis``
  for a case with no facts, for every shipped ruleset (the worst is reported);
- start-up: ``assess SAMPLE --json`` against ``python -c "import typer, rich, pydantic"``,
  and beside them ``bench/startup_floor.py`` (a Typer command with the same ten
  options validating one Pydantic model: the least such a command costs);
- compare: ``compare SAMPLE`` (all shipped rulesets) against one ``assess SAMPLE``.

``--quick`` runs N = 300 once each: for checking that the bench works, not for figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

import yaml

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "jiaozuo" / "waived_flood_emergency.yaml"
SAMPLE_RULESET = "jiaozuo"
EMPTY_CASE = "case_id: BENCH-EMPTY\ntitle: 没有任何事实的案件\nsubject: {kind: individual}\n"
IMPORT_BASELINE = "import typer, rich, pydantic"
ENGINE_CASES = 5000
STARTUP_FLOOR = Path(__file__).with_name("startup_floor.py")

TITLES = [
    "某县{place}项目因{cause}未达预期", "某街道{place}改造中{cause}引发群众信访", "某局推行{place}改革突破现行规定",
    "某镇{place}工程因{cause}造成损失", "某社区化解{place}历史遗留问题出现偏差", "某区{place}应急处置中先行动后报告",
]
PLACES = ["农贸市场", "工业园区", "老旧小区", "扶贫产业", "河道治理", "审批服务", "征地拆迁", "营商环境", "食用菌大棚", "污水处理厂"]
CAUSES = ["市场价格下跌", "政策调整", "暴雨洪涝", "外部环境变化", "施工方违约", "经验不足", "上级政策重大调整"]
POSITIONS = ["党支部书记", "副局长", "街道办事处主任", "项目负责人", "镇长", "经济联社负责人"]
BODIES = ["street", "community", "economic_cooperative", "department", "township", "enterprise"]
CONTEXTS = ["reform_pilot", "innovation", "decision_implementation", "economic_transformation", "approval_reform",
            "major_project", "urban_construction", "poverty_alleviation", "environmental_protection", "social_stability",
            "emergency_response", "urgent_difficult_task", "dispute_resolution", "historical_issue", "business_environment"]
LOSSES = ["none", "minor", "moderate", "major", "severe"]
# fact -> probability of true (when stated)
FACTS = {
    "private_gain": 0.05, "knowingly_violated": 0.05, "public_interest": 0.9, "unintentional": 0.8, "actively_remedied": 0.7,
    "cooperated": 0.85, "diligent": 0.7, "force_majeure": 0.15, "unforeseeable": 0.4, "policy_change": 0.2,
    "collective_decision": 0.8, "emergency": 0.15, "reported_afterwards": 0.5, "violates_prohibition": 0.06,
    "defied_explicit_ban": 0.03, "major_incident": 0.04, "major_social_impact": 0.05, "ignored_warning": 0.06,
    "repeated": 0.05, "major_reform_project": 0.2, "special_measure": 0.1, "target_missed": 0.6,
}
KEY_FACTS = ["collective_decision", "private_gain", "actively_remedied", "diligent", "unforeseeable"]


def make_case(index: int, rng: random.Random) -> str:
    title = rng.choice(TITLES).format(place=rng.choice(PLACES), cause=rng.choice(CAUSES))
    open_facts = set(rng.sample(KEY_FACTS, 2)) if rng.random() < 0.125 else set()
    facts = {name: rng.random() < p for name, p in FACTS.items() if name not in open_facts}
    lines = [
        f"case_id: BENCH-{index:07d}",
        f"title: {title}",
        "subject:",
        "  kind: individual",
        f"  name: {rng.choice('赵钱孙李周吴郑王')}某",
        f"  position: {rng.choice(POSITIONS)}",
        f"  body: {rng.choice(BODIES)}",
        "region: 河南省焦作市",
        "summary: |",
        f"  {2015 + index % 8}年，经{rng.choice(['党委会', '局务会', '村两委会议'])}研究，启动{rng.choice(PLACES)}项目。",
        f"  因{rng.choice(CAUSES)}，项目未达到原计划效果，造成一定损失。",
        "  当事人配合核查、如实说明情况，并提出书面容错申请。",
        "dates:",
        f"  occurred: {2015 + index % 8}-{1 + index % 12:02d}-{1 + index % 28:02d}",
        f"context: [{', '.join(sorted(rng.sample(CONTEXTS, rng.randint(1, 2))))}]",
        f"loss: {rng.choices(LOSSES, weights=[2, 5, 3, 1, 0.3])[0]}",
        "facts:",
        *(f"  {name}: {'true' if value else 'false'}" for name, value in facts.items()),
        f"proposed_measure: {rng.choice(['诫勉谈话', '警告', '严重警告', '通报批评'])}",
        "evidence:",
        f"  - 会议纪要（{2015 + index % 8}-03-12）",
        "  - 情况说明及整改报告",
    ]
    return "\n".join(lines) + "\n"


def generate(folder: Path, n: int, seed: int = 2026) -> None:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(n):
        sub = folder / f"{index // 1000:03d}"
        if index % 1000 == 0:
            sub.mkdir(exist_ok=True)
        (sub / f"case_{index:07d}.yaml").write_text(make_case(index, rng), encoding="utf-8")


def case_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.yaml"))


def best(runs: int, measure: Callable[[], float]) -> float:
    return min(measure() for _ in range(runs))


def t_floor(files: list[Path]) -> float:
    """One process reading and parsing every file with the fastest C loader: what no batch can beat per core."""
    start = time.perf_counter()
    for path in files:
        yaml.load(path.read_bytes().decode("utf-8-sig"), Loader=yaml.CSafeLoader)
    return time.perf_counter() - start


def rongcuo() -> list[str]:
    script = Path(sys.executable).with_name("rongcuo")
    return [str(script)] if script.exists() else [sys.executable, "-m", "rongcuo_cli"]


# Peak RSS of the largest process under the wrapper (the batch's parent or a worker).
RSS_WRAPPER = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter(); code = subprocess.run(sys.argv[1:]).returncode; t = time.perf_counter() - t\n"
    "print(t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)\n"
)


def t_batch(folder: Path, out: Path, ruleset: str, jobs: int | None) -> tuple[float, float]:
    """Wall time and peak RSS (MiB, the largest process) of one batch run to a new file."""
    out.unlink(missing_ok=True)  # an existing output is checked against every input: not what is measured
    cmd = [*rongcuo(), "batch", str(folder), "--ruleset", ruleset, "--output", str(out), "--quiet"]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    result = subprocess.run([sys.executable, "-c", RSS_WRAPPER, *cmd], capture_output=True, text=True, check=True)
    seconds, rss_kib, code = result.stdout.split()
    if code not in ("0", "1"):
        raise SystemExit(f"rongcuo batch failed ({code}): {result.stderr}")
    return float(seconds), int(rss_kib) / 1024


def engine_rate(files: list[Path], ruleset_name: str, runs: int) -> float:
    """Cases per second through the public API, rulings as plain data (contract 2), one core."""
    from rongcuo_cli import assess, load_case, load_ruleset

    # Loading is not measured; the generated files are plain YAML, the same under 1.1 and 1.2.
    cases = [load_case(yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)) for p in files[:ENGINE_CASES]]
    ruleset = load_ruleset(ruleset_name)
    for case in cases[:200]:  # what a long batch keeps warm
        assess(case, ruleset).as_dict()

    def once() -> float:
        start = time.perf_counter()
        for case in cases:
            assess(case, ruleset).as_dict()
        return time.perf_counter() - start

    return len(cases) / best(runs, once)


def t_once(cmd: list[str], *, json_out: bool = False) -> float:
    """Wall time of a command; it must succeed (exit 0 or 1: 1 is a ruling with problems in the input)."""
    start = time.perf_counter()
    result = subprocess.run(cmd, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode not in (0, 1) or (json_out and not result.stdout.lstrip().startswith((b"{", b"["))):
        raise SystemExit(f"failed ({result.returncode}): {' '.join(cmd)}\n{result.stderr.decode(errors='replace')}")
    return elapsed


def t_pair(first: list[str], second: list[str], runs: int, *, json_out: bool = False) -> tuple[float, float]:
    """Best wall times of two commands run alternately, so that a change in the machine's load falls on both."""
    first_time, second_time = t_alternate([first, second], runs, json_out=json_out)
    return first_time, second_time


def t_alternate(commands: list[list[str]], runs: int, *, json_out: bool = False) -> list[float]:
    """Best wall time of each command, the commands run in turn ``runs`` times."""
    times = [[t_once(cmd, json_out=json_out) for cmd in commands] for _ in range(runs)]
    return [min(column) for column in zip(*times)]


def analysis_ratios(empty: Path, rulesets: list[str], runs: int) -> list[tuple[str, float, float]]:
    """(ruleset, with analysis, without) for a case that states no facts."""
    found = []
    for ruleset in rulesets:
        base = [*rongcuo(), "assess", str(empty), "--ruleset", ruleset, "--json"]
        found.append((ruleset, *t_pair(base, [*base, "--no-analysis"], runs, json_out=True)))
    return found


def compile_package() -> str:
    """Write the package's bytecode, as its first run would: start-up figures are for the runs after it.

    Why: with PYTHONDONTWRITEBYTECODE set (as in some containers and CI), no run
    writes it and every start compiles every module again (about 150 ms).
    """
    import rongcuo_cli

    package = Path(rongcuo_cli.__file__).parent
    result = subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], capture_output=True, text=True, check=False)
    return "compiled beforehand (as after a first run)" if result.returncode == 0 else f"could not be written ({result.stdout.strip()[:80]})"


def shipped() -> list[str]:
    from rongcuo_cli import shipped_rulesets

    return shipped_rulesets()


def load_text() -> str:
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


def memory_text() -> str:
    try:
        pages, size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
        return f", {pages * size / 2**30:.0f} GiB"
    except (ValueError, OSError, AttributeError):
        return ""


def met(value: float, limit: float, *, at_least: bool = False) -> str:
    return "yes" if (value >= limit if at_least else value <= limit) else "no"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=None, help="number of cases (default 10000; 300 with --quick); memory is also measured at 5N")
    parser.add_argument("--quick", action="store_true", help="a small run, each figure once: checks the bench, not the targets")
    parser.add_argument("--repeat", type=int, default=None, help="runs per timing, the best kept (default 3; 1 with --quick)")
    parser.add_argument("--ruleset", default=SAMPLE_RULESET, help="ruleset for batch and the engine rate")
    parser.add_argument("--rulesets", default=None, help="comma-separated rulesets for the analysis ratio (default: every shipped one)")
    parser.add_argument("--jobs", type=int, default=None, help="workers for rongcuo batch (default: its own default, the cores)")
    args = parser.parse_args()
    n = args.n or (300 if args.quick else 10_000)
    runs = args.repeat or (1 if args.quick else 3)
    rulesets = args.rulesets.split(",") if args.rulesets else shipped()
    started = dt.datetime.now(dt.timezone.utc)
    bytecode = compile_package()
    load_before = load_text()
    root = Path(tempfile.mkdtemp(prefix="rongcuo-bench-"))
    try:
        small, large = root / "n", root / "5n"
        generate(small, n)
        generate(large, 5 * n, seed=7)
        files = case_files(small)
        empty = root / "empty.yaml"
        empty.write_text(EMPTY_CASE, encoding="utf-8")

        # Interleaved, so that a change in the machine's load falls on both sides of the ratio.
        floors, batch_runs = [], []
        for _ in range(runs):
            floors.append(t_floor(files))
            batch_runs.append(t_batch(small, root / "n.jsonl", args.ruleset, args.jobs))
        floor = min(floors)
        batch, rss_n = min(r[0] for r in batch_runs), max(r[1] for r in batch_runs)
        batch_5n, rss_5n = t_batch(large, root / "5n.jsonl", args.ruleset, args.jobs)
        serial, _ = t_batch(small, root / "n1.jsonl", args.ruleset, 1)
        rate = engine_rate(files, args.ruleset, runs)
        analysis = analysis_ratios(empty, rulesets, runs)
        worst = max(analysis, key=lambda row: row[1] / row[2])
        one_assess_json, baseline, floor_command = t_alternate([
            [*rongcuo(), "assess", str(SAMPLE), "--ruleset", SAMPLE_RULESET, "--json"],
            [sys.executable, "-c", IMPORT_BASELINE],
            [sys.executable, str(STARTUP_FLOOR), "assess", str(SAMPLE), "--ruleset", SAMPLE_RULESET, "--json"],
        ], runs)
        compare, one_assess = t_pair([*rongcuo(), "compare", str(SAMPLE)], [*rongcuo(), "assess", str(SAMPLE), "--ruleset", SAMPLE_RULESET], runs)
        lines = files[0].read_text(encoding="utf-8").count("\n")
        jobs = args.jobs or (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count())
        sample = SAMPLE.relative_to(ROOT).as_posix()
        rows = [
            ("machine", f"{platform.machine()}, {os.cpu_count()} cores{memory_text()}, Python {platform.python_version()}", "", ""),
            ("date (UTC)", started.strftime("%Y-%m-%d %H:%M"), "", ""),
            ("load average before → after (1 / 5 / 15 min)", f"{load_before} → {load_text()}", "", ""),
            ("runs per timing (best kept)", f"{runs}" + (" (--quick: not for figures)" if args.quick else ""), "", ""),
            ("bytecode of rongcuo_cli", bytecode, "", ""),
            ("cases", f"N = {n:,} ({lines} lines each), 5N = {5 * n:,}", "", ""),
            ("T_floor (libyaml CSafeLoader, 1 process, parse only)", f"{floor:.2f} s", "", ""),
            (f"T_batch (rongcuo batch → JSONL, {jobs} jobs)", f"{batch:.2f} s ({n / batch:,.0f} cases/s; 5N: {5 * n / batch_5n:,.0f})", "", ""),
            ("**batch / floor** at N", f"{batch / floor:.2f}", "≤ 1.3", met(batch / floor, 1.3)),
            ("T_batch with --jobs 1 (what one core costs)", f"{serial:.2f} s ({serial / floor:.2f}× T_floor)", "", ""),
            ("**memory** 5N / N (peak RSS, largest process)", f"{rss_5n / rss_n:.2f} ({rss_n:.0f} → {rss_5n:.0f} MiB)", "≤ 1.2", met(rss_5n / rss_n, 1.2)),
            ("**engine**: assess(case, ruleset).as_dict(), 1 core", f"{rate:,.0f} cases/s", "≥ 20,000", met(rate, 20_000, at_least=True)),
            ("**analysis**: assess EMPTY --json / --no-analysis, worst ruleset",
             f"{worst[1] / worst[2]:.2f} ({worst[0]}: {worst[1] * 1000:.0f} / {worst[2] * 1000:.0f} ms)", "≤ 1.5", met(worst[1] / worst[2], 1.5)),
            ("analysis, every ruleset", ", ".join(f"{r} {a / b:.2f}" for r, a, b in analysis), "", ""),
            (f"**start-up**: assess {sample} --json / python -c \"{IMPORT_BASELINE}\"",
             f"{one_assess_json / baseline:.2f} ({one_assess_json * 1000:.0f} / {baseline * 1000:.0f} ms)", "≤ 2", met(one_assess_json / baseline, 2)),
            ("start-up floor: bench/startup_floor.py (Typer with assess's ten options, one Pydantic model) / the same baseline",
             f"{floor_command / baseline:.2f} ({floor_command * 1000:.0f} / {baseline * 1000:.0f} ms)", "", ""),
            (f"**compare**: compare {sample} / assess {sample} -r {SAMPLE_RULESET}",
             f"{compare / one_assess:.2f} ({compare * 1000:.0f} / {one_assess * 1000:.0f} ms)", "≤ 1.6", met(compare / one_assess, 1.6)),
        ]
        print("| measure | result | target | met |")
        print("|---|---|---|---|")
        for name, value, target, ok in rows:
            print(f"| {name} | {value} | {target} | {ok} |")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
