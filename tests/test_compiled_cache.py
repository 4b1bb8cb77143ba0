"""The compiled-ruleset cache: the same rulings from it, invalidated by any file it was built from, never in the way."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from rongcuo_cli.engine.advice import advise
from rongcuo_cli.load import compiled_cache, resources, ruleset_loader
from rongcuo_cli.load.case_file import case_model, load_case
from rongcuo_cli.load.ladders import load_ladders
from rongcuo_cli.load.vocabulary import load_vocabulary
from rongcuo_cli.model.diagnostics import UserError

from .conftest import ROOT, SAMPLES

SHIPPED_DIR = ROOT / "rulesets"
SAMPLE_FILES = sorted(SAMPLES.glob("*/*.yaml"))


def _forget() -> None:
    """What a new process would not know: every in-memory cache of loaded files."""
    ruleset_loader._load_cached.cache_clear()
    load_vocabulary.cache_clear()
    load_ladders.cache_clear()
    case_model.cache_clear()
    resources._READ.clear()


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """A fresh, empty cache folder; counts the rulesets built from their files (not taken from the cache)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv(compiled_cache.DISABLE_VARIABLE, raising=False)
    built: list[str] = []
    uncached = ruleset_loader._load_uncached

    def counting(name, cwd):
        built.append(name)
        return uncached(name, cwd)

    monkeypatch.setattr(ruleset_loader, "_load_uncached", counting)
    _forget()
    yield built
    _forget()


@pytest.fixture
def shipped_copy(tmp_path, monkeypatch):
    """The shipped rulesets, vocabulary and ladders copied to a folder the test may edit."""
    folder = tmp_path / "shipped"
    shutil.copytree(SHIPPED_DIR, folder)
    monkeypatch.setattr(resources, "rulesets_dir", lambda: folder)
    monkeypatch.setattr(ruleset_loader, "rulesets_dir", lambda: folder)
    return folder


def _entries() -> list[Path]:
    return sorted(compiled_cache.folder().glob(f"*{compiled_cache.SUFFIX}"))


def _summary(compiled):
    return (
        compiled.meta, compiled.files, compiled.paths,
        [(r.kind, r.rule, r.origin, r.reads, r.reads_all, r.path, r.document.file) for r in compiled.rules],
        [ruleset for _, ruleset in compiled.sources],
    )


@pytest.mark.parametrize("name", ruleset_loader.shipped_ids())
def test_a_ruleset_from_the_cache_is_the_ruleset_from_its_files(name, cache):
    fresh = ruleset_loader.load_ruleset(name)
    assert cache == [name] and _entries()
    _forget()
    cached = ruleset_loader.load_ruleset(name)
    assert cache == [name]  # the second load did not build it
    assert cached is not fresh
    assert _summary(cached) == _summary(fresh)
    # Its documents are parsed only when asked, and then are the file's.
    for (doc_cached, _), (doc_fresh, _) in zip(cached.sources, fresh.sources):
        assert doc_cached.data == doc_fresh.data
        assert doc_cached.diagnostic(("id",), "x", "m") == doc_fresh.diagnostic(("id",), "x", "m")


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_cached_rulings_are_identical(path, cache):
    ruleset = path.parent.name
    fresh = advise(load_case(path), ruleset_loader.load_ruleset(ruleset), load_vocabulary()).as_json()
    _forget()
    cached = advise(load_case(path), ruleset_loader.load_ruleset(ruleset), load_vocabulary()).as_json()
    assert len(cache) == 1
    assert cached == fresh


def _chain(tmp_path: Path) -> tuple[Path, Path]:
    """A user's ruleset extending a parent by path, both copies of shipped ones."""
    parent = tmp_path / "rules" / "base.yaml"
    parent.parent.mkdir()
    parent.write_text((SHIPPED_DIR / "national.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    child = tmp_path / "rules" / "mine.yaml"
    text = (SHIPPED_DIR / "zhejiang.yaml").read_text(encoding="utf-8").replace("extends: national", "extends: base.yaml")
    assert "extends: base.yaml" in text
    child.write_text(text, encoding="utf-8")
    return child, parent


def _retitle(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_change_to_the_ruleset_or_a_file_it_extends_is_seen(tmp_path, cache):
    child, parent = _chain(tmp_path)
    first = ruleset_loader.load_ruleset(str(child))
    _forget()
    assert ruleset_loader.load_ruleset(str(child)).meta == first.meta and len(cache) == 1

    _retitle(child, "short_title: ", "short_title: 改")
    _forget()
    assert ruleset_loader.load_ruleset(str(child)).meta.short_title.startswith("改")
    assert len(cache) == 2

    rule = first.meta.exclusions[0]
    _retitle(parent, f"title: {rule.title}", f"title: 改{rule.title}")
    _forget()
    changed = ruleset_loader.load_ruleset(str(child))
    assert f"改{rule.title}" in [r.title for r in changed.meta.exclusions]
    assert len(cache) == 3


def test_a_broken_parent_is_reported_even_after_the_chain_was_cached(tmp_path, cache):
    child, parent = _chain(tmp_path)
    ruleset_loader.load_ruleset(str(child))
    _retitle(parent, "id: national", "id: National")
    _forget()
    with pytest.raises(UserError) as caught:
        ruleset_loader.load_ruleset(str(child))
    assert caught.value.diagnostics[0].code == "invalid-parent"


def test_a_change_to_the_vocabulary_is_seen(shipped_copy, cache):
    ruleset_loader.load_ruleset("jiaozuo")
    vocabulary = shipped_copy / "_vocabulary.yaml"
    # A fact the ruleset reads leaves the vocabulary: the cached ruleset must not be used.
    lines = vocabulary.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith("  private_gain:")]
    assert len(kept) == len(lines) - 1
    vocabulary.write_text("".join(kept), encoding="utf-8")
    _forget()
    with pytest.raises(UserError) as caught:
        ruleset_loader.load_ruleset("jiaozuo")
    assert {d.code for d in caught.value.diagnostics} == {"unknown-fact"}


def test_a_change_to_a_vocabulary_label_or_the_ladders_is_seen(shipped_copy, cache):
    ruleset_loader.load_ruleset("jiaozuo")
    load_ladders()
    _retitle(shipped_copy / "_vocabulary.yaml", "label: 为自己、他人或单位谋取私利", "label: 改")
    _forget()
    assert load_vocabulary().facts["private_gain"].label == "改"
    ruleset_loader.load_ruleset("jiaozuo")
    assert len(cache) == 2  # the ruleset's names were checked against another vocabulary

    _retitle(shipped_copy / "_ladders.yaml", "label: 党纪处分", "label: 党纪处分改")
    _forget()
    assert load_ladders().ladders["party_discipline"].label == "党纪处分改"
    ruleset_loader.load_ruleset("jiaozuo")
    assert len(cache) == 3


def _spoil(entry: Path, how: str) -> None:
    data = entry.read_bytes()
    if how == "truncated":
        entry.write_bytes(data[: len(data) // 2])
    elif how == "empty":
        entry.write_bytes(b"")
    elif how == "payload byte":
        entry.write_bytes(data[:-10] + bytes([data[-10] ^ 0xFF]) + data[-9:])
    elif how == "text in payload":  # still a well-formed pickle: only the digest can tell
        for old, new in (("浙江", "浙河"), ("为自己", "为他人")):
            data = data.replace(old.encode("utf-8"), new.encode("utf-8"))
        entry.write_bytes(data)
    elif how == "header":
        entry.write_bytes(data.replace(b"\n", b"\nx", 2))
    elif how == "garbage":
        entry.write_bytes(os.urandom(len(data)))
    elif how == "directory":
        entry.unlink()
        entry.mkdir()
    else:
        raise AssertionError(how)


@pytest.mark.parametrize("how", ["truncated", "empty", "payload byte", "text in payload", "header", "garbage", "directory"])
def test_a_spoilt_entry_is_ignored_and_rebuilt(how, cache):
    fresh = ruleset_loader.load_ruleset("zhejiang")
    vocabulary = load_vocabulary()
    for entry in _entries():
        _spoil(entry, how)
    _forget()
    again = ruleset_loader.load_ruleset("zhejiang")
    assert _summary(again) == _summary(fresh)
    assert load_vocabulary() == vocabulary
    assert len(cache) == 2
    if how != "directory":
        _forget()
        ruleset_loader.load_ruleset("zhejiang")  # rebuilt, and stored again
        assert len(cache) == 2


def _forged(entry: Path, payload: bytes) -> None:
    """``entry`` with another object in it, its digest made to match (as a deliberate forgery would)."""
    rest = entry.read_bytes()[len(compiled_cache.MAGIC):]
    size, rest = rest.split(b"\n", 1)
    header = rest[: int(size)]
    checked = compiled_cache.digest(header + b"\n" + payload).encode()
    entry.write_bytes(compiled_cache.MAGIC + size + b"\n" + header + b"\n" + checked + b"\n" + payload)


class _Boom:
    def __reduce__(self):
        return (os.system, ("touch BOOM",))


def _identity(name: str) -> tuple[str, ...]:
    return ("ruleset", name, "", str(ruleset_loader.rulesets_dir()))


def test_an_entry_that_would_run_code_is_refused(cache, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    fresh = ruleset_loader.load_ruleset("hunan")
    entry = compiled_cache._entry_path(_identity("hunan"))
    assert compiled_cache.lookup(_identity("hunan")) is not None
    _forged(entry, pickle.dumps(_Boom()))
    assert compiled_cache.lookup(_identity("hunan")) is None
    _forget()
    assert _summary(ruleset_loader.load_ruleset("hunan")) == _summary(fresh)
    assert not (tmp_path / "BOOM").exists()
    assert len(cache) == 2


def test_an_entry_whose_parts_do_not_fit_is_not_used(cache):
    """A well-formed entry (its digest right) listing fewer files than its ruleset has: rebuilt, no crash."""
    fresh = ruleset_loader.load_ruleset("zhejiang")
    hit = compiled_cache.lookup(_identity("zhejiang"))
    assert hit is not None and len(hit.value.layers) == 2
    compiled_cache.store(_identity("zhejiang"), hit.value, {hit.value.layers[0].source: hit.value.layers[0].digest})
    _forget()
    assert _summary(ruleset_loader.load_ruleset("zhejiang")) == _summary(fresh)
    assert len(cache) == 2


def test_an_entry_holding_something_else_is_not_used(cache):
    fresh = ruleset_loader.load_ruleset("hunan")
    assert compiled_cache.lookup(_identity("hunan")) is not None
    compiled_cache.store(_identity("hunan"), load_vocabulary(), {})
    _forget()
    assert _summary(ruleset_loader.load_ruleset("hunan")) == _summary(fresh)
    assert len(cache) == 2


def test_an_entry_others_could_have_written_is_not_read(cache, monkeypatch):
    ruleset_loader.load_ruleset("hunan")
    for entry in _entries():
        entry.chmod(0o666)
    _forget()
    ruleset_loader.load_ruleset("hunan")
    assert len(cache) == 2
    if hasattr(os, "getuid"):
        _forget()
        ruleset_loader.load_ruleset("hunan")  # stored again, with the right mode: a hit
        assert len(cache) == 2
        monkeypatch.setattr(os, "getuid", lambda: os.geteuid() + 1)  # as if another user owned it
        _forget()
        ruleset_loader.load_ruleset("hunan")
        assert len(cache) == 3


def test_an_unwritable_cache_folder_changes_nothing(tmp_path, cache, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker / "below"))
    fresh = ruleset_loader.load_ruleset("liwan")
    _forget()
    assert _summary(ruleset_loader.load_ruleset("liwan")) == _summary(fresh)
    assert len(cache) == 2
    assert blocker.read_text(encoding="utf-8") == "x"


def test_the_cache_can_be_turned_off(cache, monkeypatch):
    monkeypatch.setenv(compiled_cache.DISABLE_VARIABLE, "1")
    ruleset_loader.load_ruleset("chuzhou")
    _forget()
    ruleset_loader.load_ruleset("chuzhou")
    assert len(cache) == 2
    assert not compiled_cache.folder().exists()


def test_an_entry_from_another_program_version_is_replaced(cache, monkeypatch):
    ruleset_loader.load_ruleset("hunan")
    before = set(_entries())
    monkeypatch.setattr(compiled_cache, "_PROGRAM", ["another version"])
    _forget()
    ruleset_loader.load_ruleset("hunan")
    assert len(cache) == 2
    after = set(_entries())
    assert len(after) == len(before) and not after & before  # the old entries were removed


def test_the_cache_follows_xdg_and_tests_keep_out_of_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert compiled_cache.folder() == tmp_path / "rongcuo"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # to be ignored, says the XDG rule
    assert compiled_cache.folder() == Path.home() / ".cache" / "rongcuo"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert compiled_cache.folder() == Path.home() / ".cache" / "rongcuo"


def test_the_test_run_writes_no_cache_into_home():
    assert not str(Path(os.environ["XDG_CACHE_HOME"])).startswith(str(Path.home() / ".cache"))


def test_a_second_process_takes_the_ruleset_from_the_cache(tmp_path):
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    case = str(SAMPLES / "jiaozuo" / "waived_flood_emergency.yaml")
    code = (
        "import sys\n"
        "from rongcuo_cli.load import ruleset_loader\n"
        "built = []\n"
        "original = ruleset_loader._load_uncached\n"
        "ruleset_loader._load_uncached = lambda *a: built.append(a) or original(*a)\n"
        "from rongcuo_cli import assess\n"
        f"text = assess({case!r}, 'jiaozuo').as_json()\n"
        "print(len(built), len(text))\n"
    )
    first = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout.split()
    second = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout.split()
    assert first[0] == "1" and second[0] == "0"
    assert first[1] == second[1]
