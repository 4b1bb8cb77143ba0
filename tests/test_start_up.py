"""What start-up leaves out: the round-trip loader, Pydantic, model building, where they are not needed.

Each check runs in a fresh interpreter and reads ``sys.modules``: an import
moved back to the top of a module shows up here, not as a slower benchmark.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from hypothesis import given, strategies as st
from ruamel.yaml.nodes import ScalarNode as RuamelScalarNode
from ruamel.yaml.resolver import VersionedResolver

from rongcuo_cli.load import fast_source, yaml_source
from rongcuo_cli.load.case_file import read_case

from .conftest import SAMPLES

CASE = str(SAMPLES / "jiaozuo" / "waived_flood_emergency.yaml")
ROUND_TRIP = ("ruamel",)
MODEL_BUILDING = ("pydantic.main", "pydantic._internal._model_construction")


def _modules(code: str, env: dict[str, str] | None = None) -> set[str]:
    """The modules loaded by ``code`` (which may run the command line) in a new interpreter."""
    program = (
        "import sys, json, atexit\n"
        "atexit.register(lambda: sys.__stderr__.write('\\nMODULES ' + json.dumps(sorted(sys.modules))))\n"
        + code
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, env={**os.environ, **(env or {})})
    marker = done.stderr.rindex("MODULES ")
    return set(json.loads(done.stderr[marker + len("MODULES "):]))


def _loaded(modules: set[str], prefixes: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if m.startswith(prefixes))


def _cli(*args: str) -> str:
    return f"sys.argv = ['rongcuo', *{list(args)!r}]\nfrom rongcuo_cli.cli import main\ntry:\n    main()\nexcept SystemExit:\n    pass\n"


def test_importing_the_package_loads_no_pydantic_or_yaml():
    modules = _modules("import rongcuo_cli")
    assert _loaded(modules, ("pydantic", "ruamel", "yaml", "typer", "rich")) == []


@pytest.mark.parametrize("args", [["--help"], ["--version"]], ids=" ".join)
def test_help_builds_no_model_and_reads_no_yaml(args):
    modules = _modules(_cli(*args))
    assert _loaded(modules, MODEL_BUILDING + ROUND_TRIP + ("yaml", "rongcuo_cli.model", "rongcuo_cli.engine", "rongcuo_cli.load")) == [
        "rongcuo_cli.model", "rongcuo_cli.model.safe_text",
    ]


def test_a_commands_help_loads_none_of_rongcuos_models():
    # Typer itself builds Pydantic adapters for the group's options before any command's help.
    modules = _modules(_cli("assess", "--help"))
    assert _loaded(modules, ROUND_TRIP + ("yaml", "rongcuo_cli.model.ruling", "rongcuo_cli.model.ruleset", "rongcuo_cli.engine")) == []


@pytest.mark.parametrize("args", [["--json"], [], ["--no-analysis"], ["--json", "--no-analysis"]], ids=lambda a: " ".join(a) or "screen")
def test_assess_reads_a_well_formed_case_without_the_round_trip_loader(args, tmp_path):
    env = {"XDG_CACHE_HOME": str(tmp_path)}
    for _ in range(2):  # the first run fills the cache, the second reads it: neither needs ruamel
        modules = _modules(_cli("assess", CASE, "-r", "jiaozuo", *args), env)
        assert _loaded(modules, ROUND_TRIP) == []
    assert "rongcuo_cli.load.yaml_roundtrip" not in modules


def test_with_a_warm_cache_a_plain_case_needs_no_pyyaml(tmp_path):
    """yaml-rs reads the plain case and the rulesets come from the cache: PyYAML's import (20 ms) is saved."""
    pytest.importorskip("yaml_rs")
    env = {"XDG_CACHE_HOME": str(tmp_path)}
    for _ in range(2):  # the second run reads the rulesets from the cache
        modules = _modules(_cli("assess", CASE, "-r", "jiaozuo", "--json"), env)
    assert "yaml_rs" in modules
    assert [m for m in modules if m == "yaml" or m.startswith("yaml.")] == []


def test_compare_reads_every_shipped_ruleset_without_the_round_trip_loader(tmp_path):
    modules = _modules(_cli("compare", CASE, "--json"), {"XDG_CACHE_HOME": str(tmp_path)})
    assert _loaded(modules, ROUND_TRIP) == []


def test_a_bad_case_still_gets_positions(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(open(CASE, encoding="utf-8").read().replace("private_gain: false", "private_gain: maybe"), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "rongcuo_cli", "assess", str(bad), "-r", "jiaozuo", "--json"], capture_output=True, text=True)
    assert done.returncode == 1
    line = next(i for i, text in enumerate(bad.read_text(encoding="utf-8").splitlines(), 1) if "maybe" in text)
    assert f"{bad}:{line}:" in done.stderr


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*/*.yaml")), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_a_case_read_the_fast_way_is_the_case_read_the_round_trip_way(path):
    case, doc = read_case(path)
    full = yaml_source.load(path)
    assert doc.data == full.data
    assert case == read_case.__globals__["_validated"](full)
    assert doc.diagnostic(("facts",), "x", "m") == full.diagnostic(("facts",), "x", "m")


def test_past_the_round_trip_limits_a_case_gets_its_diagnostics(tmp_path):
    """Files the fast path could read but the round-trip loader refuses are refused, with the same words."""
    base = open(CASE, encoding="utf-8").read()
    many = tmp_path / "many.yaml"
    many.write_text(base + "evidence: [" + ",".join(["a"] * yaml_source.MAX_NODES) + "]\n", encoding="utf-8")
    long_number = tmp_path / "long.yaml"
    long_number.write_text(base + "proposed_measure: " + "1" * (yaml_source.MAX_INTEGER_DIGITS + 1) + "\n", encoding="utf-8")
    for path, code in ((many, "too-many-nodes"), (long_number, "number-too-long")):
        assert len(path.read_bytes()) <= fast_source.MAX_FAST_BYTES
        with pytest.raises(Exception) as caught:
            read_case(path)
        assert [d.code for d in caught.value.diagnostics] == [code]


def test_the_resolution_table_is_ruamels():
    """``fast_source`` writes out YAML 1.2's implicit resolvers, so as not to import ruamel: word for word ruamel's."""
    import re

    from ruamel.yaml.resolver import implicit_resolvers

    theirs = [(tag, regexp.pattern, regexp.flags, list(first)) for versions, tag, regexp, first in implicit_resolvers if (1, 2) in versions]
    ours = [(tag, pattern, re.compile(pattern, flags).flags, list(first)) for tag, pattern, flags, first in fast_source.YAML12_RESOLVERS]
    assert ours == theirs


@given(st.text(max_size=16) | st.from_regex(r"[-+.0-9][-+.0-9_:eExXoObB a-fT]{0,20}", fullmatch=True))
def test_plain_scalars_resolve_as_ruamel_resolves_them(value):
    resolver = VersionedResolver(version=(1, 2))
    assert fast_source.yaml12_tag(value) == str(resolver.resolve(RuamelScalarNode, value, (True, False)))
