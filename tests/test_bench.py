"""bench/batch.py runs and prints every figure of the speed issue in one table (tiny and once: no timing is judged)."""

from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT

ROWS = ["machine", "date", "load average", "bytecode", "cases", "T_floor", "T_batch", "batch / floor", "--jobs 1", "memory", "engine",
        "analysis", "analysis, every ruleset", "start-up", "start-up floor", "compare"]


def test_quick_bench_prints_one_table_with_every_figure_target_and_verdict():
    # The smallest run that still takes every path: 20 cases, one ruleset for the analysis ratio.
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "batch.py"), "--quick", "--n", "20", "--rulesets", "national"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "| measure | result | target | met |"
    table = [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in lines[2:]]
    assert all(len(cells) == 4 for cells in table), lines
    for row in ROWS:
        assert any(row in cells[0] for cells in table), row
    verdicts = {cells[0]: cells[3] for cells in table if cells[2]}  # the rows with a target
    assert len(verdicts) == 6 and set(verdicts.values()) <= {"yes", "no"}, verdicts
