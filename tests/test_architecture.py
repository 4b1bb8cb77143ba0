"""The core never imports the CLI layer, Typer or Rich."""

import subprocess
import sys

CORE = ["tristate", "diagnostics", "yaml_source", "vocabulary", "case", "case_file", "condition",
        "ruleset", "ruleset_loader", "engine", "ruling", "validation", "quotes", "resources",
        "fast_source", "batch", "batch_record", "batch_output", "batch_summary", "atomic"]


def test_core_does_not_import_typer_or_rich():
    code = (
        "import sys\n"
        + "".join(f"import rongcuo_cli.{name}\n" for name in CORE)
        + "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('typer', 'rich', 'click') or m.startswith('rongcuo_cli.cli') or m == 'rongcuo_cli.render')\n"
        + "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
