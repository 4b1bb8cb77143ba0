"""The texts rulesets quote: the seed files and the national norms.

Why: quotes are checked against the documents the rules were written from,
which live outside the package (``../shared`` beside a checkout). Finding them
is one job, kept apart from the checks that read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rongcuo_cli.model.diagnostics import Diagnostic, UsageError

# The national norms are cited by title, not by file: every such quote is
# looked up in this one document.
NATIONAL_NORMS = Path("docs") / "national-norms.md"
SEED_SUFFIX = ".txt"


@dataclass
class SourceTexts:
    """Where the seeds are (None when not found), and the texts read so far."""

    seeds: Path | None
    norms: Path | None
    _cache: dict[Path, str] = field(default_factory=dict)

    def path_of(self, source: str) -> Path | None:
        """The file a citation's ``source`` names, or None when it cannot be checked here."""
        if source.endswith(SEED_SUFFIX):
            return self.seeds / source if self.seeds else None
        return self.norms

    def text(self, path: Path) -> str:
        if path not in self._cache:
            self._cache[path] = path.read_text(encoding="utf-8")
        return self._cache[path]


def default_seeds() -> Path | None:
    """``../shared/seeds`` beside the checkout this package runs from, if present."""
    checkout = Path(__file__).resolve().parents[2]
    for candidate in (checkout.parent / "shared" / "seeds", Path.cwd().parent / "shared" / "seeds"):
        if candidate.is_dir():
            return candidate
    return None


def locate(seeds: Path | None) -> SourceTexts:
    """The source texts from ``--seeds`` when given, else from the default place."""
    if seeds is not None and not seeds.is_dir():
        raise UsageError([Diagnostic(file=str(seeds), code="not-found", message="种子文件目录不存在", hint="--seeds 应指向存放 000_….txt 等来源文件的目录")])
    folder = seeds or default_seeds()
    if folder is None:
        return SourceTexts(seeds=None, norms=None)
    norms = folder.parent / NATIONAL_NORMS
    return SourceTexts(seeds=folder, norms=norms if norms.is_file() else None)
