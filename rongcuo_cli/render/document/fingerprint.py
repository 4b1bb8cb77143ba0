"""The fingerprint line: hashes that tie a printed document to the files it was made from.

Why: a 认定意见书 is printed and filed; months later someone must be able to
tell whether it came from this case file, this ruleset and this tool, or
from an edited copy. SHA-256 of the bytes, not of parsed data: a comment
changed in the case file is a different input.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from rongcuo_cli import __version__
from rongcuo_cli.engine.versions import all_versions
from rongcuo_cli.load.ruleset_loader import CompiledRuleset
from rongcuo_cli.model.safe_text import escape

SHORT = 12  # hex digits printed; the full digest goes where a reader does not have to copy it


@dataclass(frozen=True)
class FileHash:
    role: str  # 案件文件 / 规则集文件
    name: str  # the file's name only: the same document on any machine
    sha256: str

    @property
    def short(self) -> str:
        return self.sha256[:SHORT]


@dataclass(frozen=True)
class Fingerprint:
    files: tuple[FileHash, ...]  # the case file first, then each ruleset file in the chain, every version
    version: str

    @property
    def line(self) -> str:
        """What is printed: 校验：案件文件 a.yaml 1a2b3c4d5e6f；规则集文件 jiaozuo.yaml 9f8e7d6c5b4a；rongcuo 0.1.0."""
        parts = [f"{f.role} {f.name} {f.short}" for f in self.files]
        return "校验（SHA-256 前 12 位）：" + "；".join(parts) + f"；rongcuo {self.version}"

    @property
    def full(self) -> str:
        """The full digests, named by role only (file names are others' text and stay out of comments)."""
        return "；".join(f"{f.role} {f.sha256}" for f in self.files) + f"；rongcuo {self.version}"


def _digest(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def fingerprint(case_path: Path, ruleset: CompiledRuleset) -> Fingerprint:
    files = [FileHash("案件文件", escape(case_path.name, one_line=True), _digest(case_path))]
    seen: set[str] = set()
    for version in all_versions(ruleset):
        # ``paths`` are the files as opened (a shipped one inside the installed package), in ``files`` order.
        for shown, opened in zip(version.files, version.paths):
            if opened not in seen:
                seen.add(opened)
                files.append(FileHash("规则集文件", escape(Path(shown).name, one_line=True), _digest(opened)))
    return Fingerprint(tuple(files), __version__)
