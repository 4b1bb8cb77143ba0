"""Writing 认定意见书 files: ``assess --document FILE`` and ``batch --documents DIR``.

The document itself is made in ``render.document``; here only what the
command line owns: which file, refusing to overwrite an input, atomic writing.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Optional

if TYPE_CHECKING:  # the core is imported when a document is written: `rongcuo --help` reads only the help texts here
    from rongcuo_cli.load.ruleset_loader import CompiledRuleset
    from rongcuo_cli.model.case import CaseBase
    from rongcuo_cli.model.ruling import Ruling
    from rongcuo_cli.model.vocabulary import Vocabulary

DOCUMENT_HELP = "写出容错纠错认定意见书，格式按扩展名：.md、.html（可打印为 A4）或 .docx（GB/T 9704 版式）；原子写入"
TEMPLATE_HELP = "自定义模板：Jinja2 文本模板（用于 .md、.html）或 Word 模板（.docx，docxtpl）；变量见 docs/document-templates.md"
DOCUMENTS_HELP = "为每个成功审查的案件在该目录写一份认定意见书，文件名为案件编号（目录不存在则创建）"
DOCUMENT_FORMAT_HELP = "--documents 的格式：docx（默认）、html 或 md"
_UNSAFE_NAME = re.compile(r"[^\w.-]+")
MAX_NAME = 100


class DocumentWriter:
    """Writes documents for one ruleset, refusing any target that is one of the files read."""

    def __init__(self, ruleset: CompiledRuleset, vocab: Vocabulary, template: Optional[Path], fmt: str, inputs: Iterable[str], option: str):
        from rongcuo_cli.cli.output import files_read

        self.ruleset, self.vocab, self.template, self.fmt, self.option = ruleset, vocab, template, fmt, option
        self.inputs = list(inputs)
        self.others = [*files_read(ruleset), *([str(template)] if template is not None else [])]

    def check(self, target: Path) -> None:
        from rongcuo_cli.cli.output import refuse_overwriting_inputs

        refuse_overwriting_inputs(target, self.inputs, self.others, option=self.option)

    def write(self, target: Path, case_path: Path, case: CaseBase, ruling: Ruling) -> None:
        from rongcuo_cli.cli.output import write_output
        from rongcuo_cli.render.document.formats import opinion, render

        self.check(target)
        doc = opinion(case, case_path, ruling, self.ruleset, self.vocab)
        write_output(target, render(doc, self.fmt, ruling, case, self.template))


def document_format(path: Path, template: Optional[Path], option: str = "--document") -> str:
    """The format ``path`` asks for, checked against the template's kind (usage errors, exit 2)."""
    from rongcuo_cli.render.document.formats import check_template, format_of

    fmt = format_of(path, option)
    check_template(template, fmt)
    return fmt


def named_format(name: str, template: Optional[Path]) -> str:
    """``--document-format`` for a folder of documents."""
    from rongcuo_cli.model.diagnostics import Diagnostic, UsageError
    from rongcuo_cli.render.document.formats import FORMATS, check_template

    if name not in set(FORMATS.values()):
        raise UsageError([Diagnostic(file="--document-format", code="document-format", message=f"未知的认定意见书格式 `{name}`", hint="可用：docx、html、md")])
    check_template(template, name)
    return name


def prepare_folder(folder: Path) -> None:
    """The folder for ``--documents``: created if missing; an existing file there is a usage error."""
    from rongcuo_cli.model.diagnostics import Diagnostic, OutputError, UsageError, os_reason

    if folder.exists() and not folder.is_dir():
        raise UsageError([Diagnostic(file=str(folder), code="documents-not-folder", message="--documents 须是目录，这里是一个文件", hint="换一个目录名，或删去该文件")])
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError([Diagnostic(file=str(folder), code="write", message=f"无法创建目录：{os_reason(exc)}", hint="检查上级目录是否存在、是否有写权限")]) from None


def file_name(case_id: str, suffix: str, taken: set[str]) -> str:
    """A file name from the case id: characters a file system might refuse become ``_``; a repeat gets ``-2``, ``-3``…"""
    stem = _UNSAFE_NAME.sub("_", case_id).lstrip(".")[:MAX_NAME] or "case"
    name, n = f"{stem}.{suffix}", 1
    while name.lower() in taken:  # case-insensitive file systems would merge A and a
        n += 1
        name = f"{stem}-{n}.{suffix}"
    taken.add(name.lower())
    return name


def template_needs(document: object, template: Optional[Path], option: str) -> None:
    """``--template`` alone would be silently ignored: a usage error instead."""
    if template is not None and document is None:
        from rongcuo_cli.model.diagnostics import Diagnostic, UsageError

        raise UsageError([Diagnostic(file=str(template), code="template-alone", message=f"给了 --template 却没有 {option}，模板不会被使用",
                                     hint=f"加上 {option}，或去掉 --template")])


class FolderWriter:
    """``batch --documents DIR``: one document per case assessed, named by its case id.

    Why the case is assessed again here: workers send back JSON records only
    (see ``batch.record``); assessing one case costs far less than writing its
    document, and gives the same ruling as the record.
    """

    def __init__(self, folder: Path, fmt: str, template: Optional[Path], ruleset: CompiledRuleset, vocab: Vocabulary, files: list[str]):
        from rongcuo_cli.render.document.formats import FORMATS

        prepare_folder(folder)
        documents_read = [f for f in files if Path(f).suffix.lower() in FORMATS]  # only these could be overwritten
        self.writer = DocumentWriter(ruleset, vocab, template, fmt, documents_read, "--documents")
        self.folder, self.fmt = folder, fmt
        self.taken: set[str] = set()
        self.count = 0

    def add(self, file: str, case_id: Optional[str], failed: bool) -> None:
        """Write the document of one batch record; a record that is an error gets none."""
        if failed or case_id is None:
            return
        from rongcuo_cli.batch.record import load_case_fast
        from rongcuo_cli.engine.advice import advise

        case = load_case_fast(Path(file))
        ruling = advise(case, self.writer.ruleset, self.writer.vocab, analyse=False)
        self.writer.write(self.folder / file_name(case_id, self.fmt, self.taken), Path(file), case, ruling)
        self.count += 1
