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


def test_the_reference_ruleset_and_vocabulary_take_the_fast_path():
    # If a shipped file stops qualifying (an anchor, a tag), start-up quietly slows down: say so here.
    for name in ("jiaozuo.yaml", "_vocabulary.yaml", "_ladders.yaml"):
        text = (rulesets_dir() / name).read_text(encoding="utf-8")
        assert "key_positions" not in vars(trusted_source.parse(text, name)), name


@pytest.mark.parametrize("name", ruleset_loader.shipped_ids())
def test_shipped_ruleset_compiles_the_same_from_either_loader(name, monkeypatch):
    fast = ruleset_loader._load_cached.__wrapped__(name, "")
    monkeypatch.setattr(trusted_source, "parse", yaml_source.parse)
    full = ruleset_loader._load_cached.__wrapped__(name, "")
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
