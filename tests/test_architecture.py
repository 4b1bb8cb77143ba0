"""The package's rooms and the direction of its imports.

Imports only go downward: cli → render / batch / authoring → engine → load →
model (render may also read the batch summary it shows). Typer lives in
``cli`` only, Rich in ``cli`` and ``render`` only. Read from the source with
``ast``, so an import inside a function counts as much as one at the top.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

PACKAGE = ROOT / "rongcuo_cli"
LAYERS = ("model", "load", "engine", "batch", "authoring", "render", "cli")
MAY_IMPORT = {
    "model": {"model"},
    "load": {"model", "load"},
    "engine": {"model", "load", "engine"},
    "batch": {"model", "load", "engine", "batch"},
    "authoring": {"model", "load", "engine", "authoring"},
    "render": {"model", "load", "engine", "batch", "render"},
    "cli": set(LAYERS),
    # the package's face: the public API (lazily) and ``python -m``
    "__init__": {"model", "load", "engine"},
    "__main__": {"cli"},
}
TERMINAL_LIBRARIES = {"typer": {"cli"}, "click": {"cli"}, "rich": {"cli", "render"}, "questionary": {"cli"}, "prompt_toolkit": {"cli"}}


def _room(path: Path) -> str:
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else path.stem


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module) for every import in the file, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ["rongcuo_cli", *path.relative_to(PACKAGE).parent.parts]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            # ``from rongcuo_cli import load`` names a room too
            if module == "rongcuo_cli":
                found += [(node.lineno, f"rongcuo_cli.{alias.name}") for alias in node.names]
    return found


SOURCES = sorted(p for p in PACKAGE.rglob("*.py") if "rulesets" not in p.parts)


def test_every_module_lives_in_a_known_room():
    rooms = {_room(p) for p in SOURCES}
    assert rooms <= set(MAY_IMPORT), rooms - set(MAY_IMPORT)
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert top == ["__init__.py", "__main__.py"]  # everything else is in a room a newcomer can name


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_only_go_downward(path):
    room = _room(path)
    wrong = []
    for line, module in _imports(path):
        parts = module.split(".")
        if parts[0] == "rongcuo_cli" and len(parts) > 1 and parts[1] in MAY_IMPORT:
            if parts[1] not in MAY_IMPORT[room]:
                wrong.append(f"{path.name}:{line} imports {module}")
        elif parts[0] in TERMINAL_LIBRARIES and room not in TERMINAL_LIBRARIES[parts[0]]:
            wrong.append(f"{path.name}:{line} imports {module}")
    assert wrong == []


def test_the_direction_test_catches_an_upward_import(tmp_path, monkeypatch):
    """The check itself can fail: a model module importing the engine is caught."""
    fake = PACKAGE / "model" / "_upward_probe.py"
    fake.write_text("from rongcuo_cli.engine.assess import assess\n", encoding="utf-8")
    try:
        with pytest.raises(AssertionError):
            test_imports_only_go_downward(fake)
    finally:
        fake.unlink()


def test_core_does_not_import_typer_or_rich_at_run_time():
    core = [p for p in SOURCES if _room(p) in ("model", "load", "engine", "batch", "authoring") and p.stem != "__init__"]
    names = [".".join(("rongcuo_cli", *p.relative_to(PACKAGE).with_suffix("").parts)) for p in core]
    assert "rongcuo_cli.engine.assess" in names and "rongcuo_cli.load.ruleset_loader" in names
    code = (
        "import sys\n"
        + "".join(f"import {name}\n" for name in names)
        + "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('typer', 'rich', 'click') or m.startswith(('rongcuo_cli.cli', 'rongcuo_cli.render')))\n"
        + "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
