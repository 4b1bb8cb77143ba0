from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

# The compiled-ruleset cache of every run the tests make (in-process and in subprocesses)
# goes to a folder of its own, never into the real home; removed at the end.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="rongcuo-test-cache-")
os.environ.pop("RONGCUO_NO_CACHE", None)
atexit.register(shutil.rmtree, os.environ["XDG_CACHE_HOME"], True)

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
GOLDEN = Path(__file__).resolve().parent / "golden"
SHARED = ROOT.parent / "shared"
# Set UPDATE_GOLDEN=1 to rewrite the JSON snapshots after an intended change.
UPDATE_GOLDEN = os.environ.get("UPDATE_GOLDEN") == "1"


@pytest.fixture
def samples_dir() -> Path:
    return SAMPLES


def install_wheel(tmp_path: Path) -> tuple[Path, Path]:
    """Build the wheel from this checkout and install it under ``tmp_path``: (wheel, site folder)."""
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels), str(ROOT)],
        check=True, capture_output=True,
    )
    wheel = next(wheels.glob("rongcuo-*.whl"))
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)], check=True, capture_output=True)
    return wheel, site


# Property tests: the default profile keeps the suite fast; HYPOTHESIS_PROFILE=long digs deeper.
from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile("default", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
