"""Shipped files are read with libyaml; the data and the positions are those of the round-trip loader."""

from __future__ import annotations

import pytest

from rongcuo_cli.load import ruleset_loader

from rongcuo_cli.load import trusted_source

from rongcuo_cli.load import yaml_source
from rongcuo_cli.model.diagnostics import UserError
from rongcuo_cli.load.resources import rulesets_dir

SHIPPED = sorted(rulesets_dir().glob("*.yaml"))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_file_reads_the_same_both_ways(path):
    text = path.read_text(encoding="utf-8")
    fast = trusted_source.parse(text, path.name)
    full = yaml_source.parse(text, path.name)
    assert fast.data == full.data
    # Positions are worked out on demand, and are those of the round-trip loader.
    assert fast.key_positions == full.key_positions
    assert fast.value_positions == full.value_positions
    assert fast.diagnostic(("id",), "x", "m") == full.diagnostic(("id",), "x", "m")


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_shipped_file_takes_the_fast_path(path):
    # If a shipped file stops qualifying (a tag, a merge key), start-up and compare quietly slow down: say so here.
    # Anchors and aliases qualify (national, zhejiang, liwan, chuzhou and hunan use them).
    text = path.read_text(encoding="utf-8")
    assert "key_positions" not in vars(trusted_source.parse(text, path.name)), path.name


@pytest.mark.parametrize("name", ruleset_loader.shipped_ids())
def test_shipped_ruleset_compiles_the_same_from_either_loader(name, monkeypatch):
    fast, _ = ruleset_loader._load_uncached(name, "")
    monkeypatch.setattr(trusted_source, "parse", yaml_source.parse)
    full, _ = ruleset_loader._load_uncached(name, "")
    assert fast.meta == full.meta
    assert [(r.kind, r.rule, r.reads, r.reads_all, r.path) for r in fast.rules] == [
        (r.kind, r.rule, r.reads, r.reads_all, r.path) for r in full.rules
    ]


def test_a_users_broken_ruleset_still_gets_positioned_errors(tmp_path):
    text = (rulesets_dir() / "jiaozuo.yaml").read_text(encoding="utf-8")
    broken = text.replace("when: knowingly_violated", "when: knowingly_violatd", 1)
    assert broken != text
    path = tmp_path / "mine.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(UserError) as caught:
        ruleset_loader.load_ruleset(str(path))
    [diagnostic] = caught.value.diagnostics
    assert diagnostic.code == "unknown-fact"
    line = next(i for i, l in enumerate(broken.splitlines(), 1) if "knowingly_violatd" in l)
    assert (diagnostic.file, diagnostic.line) == (str(path), line)
    assert diagnostic.column and diagnostic.column > 1


ALIAS_PROBLEMS = {
    "duplicate-anchor": "a: &x 1\nb: &x 2\nc: *x\n",
    "recursive-alias": "a: &x\n  b: *x\n",
    "too-many-nodes": "a: &a [" + ",".join(["x"] * 20) + "]\n"
    + "".join(f"{n}: &{n} [" + ",".join([f"*{p}"] * 20) + "]\n" for p, n in zip("abcd", "bcde")),
    "yaml-syntax": "a: *undefined\n",
}


@pytest.mark.parametrize("code", ALIAS_PROBLEMS)
def test_abused_anchors_get_the_round_trip_loaders_diagnostics(code):
    text = ALIAS_PROBLEMS[code]
    with pytest.raises(UserError) as full:
        yaml_source.parse(text, "r.yaml")
    with pytest.raises(UserError) as fast:
        trusted_source.parse(text, "r.yaml")
    assert fast.value.diagnostics == full.value.diagnostics
    assert fast.value.diagnostics[0].code == code


def test_anchors_and_aliases_give_the_round_trip_data():
    text = (
        "cites: &c {source: s, clause: '1', quote: [a, b]}\n"
        "rules:\n  - {id: x, cites: *c}\n  - {id: y, cites: *c, note: &n text}\nnote: *n\n"
    )
    fast = trusted_source.parse(text, "r.yaml")
    assert "key_positions" not in vars(fast)
    assert fast.data == yaml_source.parse(text, "r.yaml").data
    fast.data["rules"][0]["cites"]["clause"] = "2"  # each alias is a copy, as in the round-trip loader's data
    assert fast.data["rules"][1]["cites"]["clause"] == "1"
