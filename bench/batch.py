"""Benchmark ``rongcuo batch`` against the physical floor (libyaml parsing alone).

Run:  python bench/batch.py [--n 10000] [--ruleset jiaozuo] [--jobs J]

Timings are the best of three runs (the machine may be shared); memory the
largest. Generates N realistic case files (about 40 lines, Chinese text, varied facts;
about one in eight leaves key facts open) in a temporary folder and reports,
on the same files: T_floor (one process reading and parsing every file with
PyYAML's CSafeLoader, the fastest C loader), T_batch (``rongcuo batch``
writing JSONL), their ratio, cases per second, peak RSS at N and 5N, the
in-memory assessment rate (one core, parsed cases, full trail) and start-up
times against ``python -c "import typer, rich, pydantic"``.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

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


def t_floor(folder: Path) -> float:
    files = sorted(folder.rglob("*.yaml"))
    start = time.perf_counter()
    for path in files:
        yaml.load(path.read_bytes().decode("utf-8-sig"), Loader=yaml.CSafeLoader)
    return time.perf_counter() - start


def rongcuo() -> list[str]:
    script = Path(sys.executable).with_name("rongcuo")
    return [str(script)] if script.exists() else [sys.executable, "-m", "rongcuo_cli"]


RSS_WRAPPER = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter(); code = subprocess.run(sys.argv[1:]).returncode; t = time.perf_counter() - t\n"
    "print(t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)\n"
)


def t_batch(folder: Path, out: Path, ruleset: str, jobs: int | None) -> tuple[float, float]:
    """Wall time and peak RSS (MiB, the largest process) of one batch run."""
    cmd = [*rongcuo(), "batch", str(folder), "--ruleset", ruleset, "--output", str(out), "--quiet"]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    result = subprocess.run([sys.executable, "-c", RSS_WRAPPER, *cmd], capture_output=True, text=True, check=True)
    seconds, rss_kib, code = result.stdout.split()
    if code not in ("0", "1"):
        raise SystemExit(f"rongcuo batch failed ({code})")
    return float(seconds), int(rss_kib) / 1024


def assessment_rate(folder: Path, ruleset_name: str, limit: int = 5000) -> float:
    from rongcuo_cli.engine.assess import assess
    from rongcuo_cli.load.ruleset_loader import load_ruleset
    from rongcuo_cli.load.vocabulary import load_vocabulary

    from rongcuo_cli.batch.record import load_case_fast

    cases = [load_case_fast(p) for p in sorted(folder.rglob("*.yaml"))[:limit]]
    ruleset, vocab = load_ruleset(ruleset_name), load_vocabulary()
    best = float("inf")
    for _ in range(3):  # the first pass also warms what a long batch keeps warm
        start = time.perf_counter()
        for case in cases:
            assess(case, ruleset, vocab)
        best = min(best, time.perf_counter() - start)
    return len(cases) / best


def best_of(cmd: list[str], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="number of cases (default 10000); memory is also measured at 5N")
    parser.add_argument("--ruleset", default="jiaozuo")
    parser.add_argument("--jobs", type=int, default=None, help="workers for rongcuo batch (default: its own default, the cores)")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="rongcuo-bench-"))
    try:
        small, large = root / "n", root / "5n"
        generate(small, args.n)
        generate(large, 5 * args.n, seed=7)
        sample = next(small.rglob("*.yaml"))
        floor = min(t_floor(small) for _ in range(3))
        runs = [t_batch(small, root / "n.jsonl", args.ruleset, args.jobs) for _ in range(3)]
        batch, rss_n = min(r[0] for r in runs), max(r[1] for r in runs)
        batch_5n, rss_5n = t_batch(large, root / "5n.jsonl", args.ruleset, args.jobs)
        serial, _ = t_batch(small, root / "n1.jsonl", args.ruleset, 1)
        rate = assessment_rate(small, args.ruleset)
        baseline = best_of([sys.executable, "-c", "import typer, rich, pydantic"])
        help_time = best_of([*rongcuo(), "--help"])
        assess_time = best_of([*rongcuo(), "assess", str(sample), "--ruleset", args.ruleset, "--json"])
        lines = sample.read_text(encoding="utf-8").count("\n")
        load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
        rows = [
            ("machine", f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}", ""),
            ("load average at the end (1 / 5 / 15 min)", load, ""),
            ("cases", f"N = {args.n:,} ({lines} lines each), 5N = {5 * args.n:,}", ""),
            ("T_floor (libyaml CSafeLoader, 1 process, parse only)", f"{floor:.2f} s", ""),
            ("T_batch (rongcuo batch → JSONL, default jobs)", f"{batch:.2f} s", ""),
            ("T_batch / T_floor", f"{batch / floor:.2f}", "≤ 1.5"),
            ("T_batch with --jobs 1 (what one core costs)", f"{serial:.2f} s ({serial / floor:.2f}× T_floor)", ""),
            ("rongcuo batch throughput", f"{args.n / batch:,.0f} cases/s (5N: {5 * args.n / batch_5n:,.0f})", ""),
            ("peak RSS at N / 5N (largest process)", f"{rss_n:.0f} MiB / {rss_5n:.0f} MiB ({rss_5n / rss_n:.2f}×)", "≤ 1.2×"),
            ("in-memory assessment (1 core, full trail)", f"{rate:,.0f} cases/s", "≥ 20,000"),
            ("start-up: import typer, rich, pydantic", f"{baseline * 1000:.0f} ms", ""),
            ("start-up: rongcuo --help", f"{help_time * 1000:.0f} ms ({help_time / baseline:.2f}×)", ""),
            ("start-up: rongcuo assess (one case)", f"{assess_time * 1000:.0f} ms ({assess_time / baseline:.2f}×)", "≤ 2×"),
        ]
        print("| measure | result | target |")
        print("|---|---|---|")
        for name, value, target in rows:
            print(f"| {name} | {value} | {target} |")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
