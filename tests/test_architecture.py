"""The core never imports the CLI layer, Typer or Rich."""

import subprocess
import sys

from .conftest import ROOT

# Every module of the package is core except the CLI layer and the Rich renderers.
CORE = sorted(
    path.stem for path in (ROOT / "rongcuo_cli").glob("*.py")
    if not path.stem.startswith(("render", "__"))
)


def test_core_modules_are_discovered():
    assert {"engine", "ruleset_loader", "case", "tristate"} <= set(CORE)


def test_core_does_not_import_typer_or_rich():
    code = (
        "import sys\n"
        + "".join(f"import rongcuo_cli.{name}\n" for name in CORE)
        + "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('typer', 'rich', 'click') or m.startswith('rongcuo_cli.cli') or m.startswith('rongcuo_cli.render'))\n"
        + "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
