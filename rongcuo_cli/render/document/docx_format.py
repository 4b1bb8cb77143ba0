"""The .docx 认定意见书, laid out per GB/T 9704-2012 (党政机关公文格式) with python-docx.

Geometry: A4; top margin (天头) 37 mm; text block 156 × 225 mm, so left
(订口) 28 mm, right 26 mm, bottom 35 mm. Body 三号 (16 pt) 仿宋_GB2312,
28 characters × 22 lines: a line pitch of 28.95 pt and a character grid of
15.79 pt (``charSpace`` −849: 16 pt less 0.207 pt, in 1/4096 pt). Title 二号
(22 pt) 方正小标宋简体; 一级标题 黑体, 二级标题 楷体_GB2312. Page numbers 四号
(14 pt) 宋体 Arabic numerals between dashes, “— 1 —”: right on odd pages,
left on even ones, each one character in.

Why East Asian font names are set on ``w:eastAsia`` (and the theme fonts
removed): Word picks the font of Chinese text from that attribute alone; a
theme font left in the defaults would win over a named one.
"""

from __future__ import annotations

import io
import zipfile
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from rongcuo_cli.render.document.content import Block, OpinionDocument

if TYPE_CHECKING:
    from docx.document import Document
    from docx.styles.style import ParagraphStyle

PAGE_MM = (210, 297)
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}  # text block 156 × 225
LINE_PITCH_PT = 28.95  # 225 mm / 22 lines
BODY_PT, TITLE_PT, PAGE_NUMBER_PT, FINGERPRINT_PT = 16, 22, 14, 9
CHAR_SPACE = -849  # (156 mm / 28 − 16 pt) in 1/4096 pt
FANGSONG, XIAOBIAOSONG, HEITI, KAITI, SONGTI = "仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312", "宋体"
LATIN = "Times New Roman"
# Block kind → (style name, East Asian font, size, alignment, first-line indent in characters, space before in lines, on the grid)
STYLES: dict[str, tuple[str, str, float, str, int, int, bool]] = {
    "title": ("公文标题", XIAOBIAOSONG, TITLE_PT, "center", 0, 1, False),
    "subtitle": ("公文副标题", FANGSONG, BODY_PT, "center", 0, 0, True),
    "heading": ("一级标题", HEITI, BODY_PT, "justify", 2, 0, True),
    "subheading": ("二级标题", KAITI, BODY_PT, "justify", 2, 0, True),
    "para": ("公文正文", FANGSONG, BODY_PT, "justify", 2, 0, True),
    "quote": ("公文引文", FANGSONG, BODY_PT, "justify", 2, 0, True),
    "notice": ("公文说明", FANGSONG, BODY_PT, "justify", 2, 1, True),
    "signature": ("公文落款", FANGSONG, BODY_PT, "right", 0, 0, True),
    "fingerprint": ("校验信息", FANGSONG, FINGERPRINT_PT, "left", 0, 1, False),
}
FIXED_DATE = "2000-01-01T00:00:00"  # core properties: the same document bytes for the same inputs


def render_docx(doc: OpinionDocument) -> bytes:
    from docx import Document as open_document

    document = open_document(io.BytesIO(_base()))
    previous = ""
    for block in doc.blocks:
        _paragraph(document, block, STYLES[block.kind][0], first_signature=block.kind == "signature" and previous != "signature")
        previous = block.kind
    _properties(document, doc)
    out = io.BytesIO()
    document.save(out)
    return reproducible(out.getvalue())


@lru_cache(maxsize=1)
def _base() -> bytes:
    """The empty document with its page, styles and page numbers, built once.

    Why: python-docx looks styles up by walking the styles part, which costs
    more than writing the text; a batch of documents builds them once.
    """
    from docx import Document as new_document

    document = new_document()
    _page(document)
    _defaults(document)
    for spec in STYLES.values():
        _style(document, *spec)
    _footers(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _page(document: Document) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    section = document.sections[0]
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance = Mm(15)
    # The page number's dash line sits 7 mm below the text block: its baseline about 7 mm + one 14 pt line down.
    section.footer_distance = Mm(MARGINS_MM["bottom"] - 7) - Pt(PAGE_NUMBER_PT)
    grid = section._sectPr.find(qn("w:docGrid"))
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(round(LINE_PITCH_PT * 20)))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))


def _defaults(document: Document) -> None:
    """Document defaults: 仿宋 三号, Chinese language, no theme fonts, no spacing between paragraphs."""
    from docx.oxml.ns import qn

    defaults = document.styles.element.find(qn("w:docDefaults"))
    fonts = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    for name in list(fonts.attrib):
        del fonts.attrib[name]
    _set_fonts(fonts, FANGSONG)
    lang = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    lang.set(qn("w:eastAsia"), "zh-CN")
    spacing = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}")
    spacing.set(qn("w:after"), "0")
    normal = document.styles["Normal"]
    normal.font.size = _pt(BODY_PT)
    _set_fonts(normal.element.get_or_add_rPr().get_or_add_rFonts(), FANGSONG)


def _set_fonts(fonts: Any, east_asia: str, latin: str = LATIN) -> None:
    from docx.oxml.ns import qn

    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:cs"), latin)


def _pt(value: float) -> Any:
    from docx.shared import Pt

    return Pt(value)


def _style(document: Document, name: str, east_asia: str, size: float, align: str, indent_chars: int,
           space_lines: int, on_grid: bool) -> ParagraphStyle:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml.ns import qn

    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    style.quick_style = True
    style.font.size = _pt(size)
    _set_fonts(style.element.get_or_add_rPr().get_or_add_rFonts(), east_asia)
    if name == STYLES["title"][0]:
        style.font.bold = False  # 小标宋 is a bold face by design
    layout = style.paragraph_format
    layout.alignment = getattr(WD_ALIGN_PARAGRAPH, align.upper())
    layout.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    layout.line_spacing = _pt(LINE_PITCH_PT if size >= BODY_PT else size * 1.5)
    layout.space_before = _pt(LINE_PITCH_PT * space_lines)
    layout.space_after = _pt(LINE_PITCH_PT if name == STYLES["subtitle"][0] else 0)
    layout.widow_control = True
    p_pr = style.element.get_or_add_pPr()
    if indent_chars:
        layout.first_line_indent = _pt(BODY_PT * indent_chars)
        p_pr.get_or_add_ind().set(qn("w:firstLineChars"), str(indent_chars * 100))
    if align == "right":
        layout.right_indent = _pt(BODY_PT * 2)
    if not on_grid:  # a 22 pt title or 9 pt small print on the 28-character grid would be spread out
        snap = p_pr.makeelement(qn("w:snapToGrid"), {qn("w:val"): "0"})
        p_pr.insert(0, snap)
    return style


def _paragraph(document: Document, block: Block, style_id: str, *, first_signature: bool) -> None:
    from docx.text.paragraph import Paragraph

    p = document.element.body.add_p()
    p.style = style_id  # by id: a lookup by style object walks the styles part for every paragraph
    p.add_r().text = block.text
    if first_signature:  # the signature block stands apart from the text above it
        Paragraph(p, document._body).paragraph_format.space_before = _pt(LINE_PITCH_PT * 2)


def _footers(document: Document) -> None:
    """“— 1 —”, 四号宋体: odd pages right, even pages left, one character in from the edge of the text block."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.alignment = align
        layout = paragraph.paragraph_format
        layout.left_indent = layout.right_indent = _pt(PAGE_NUMBER_PT)
        _page_number(paragraph)


def _page_number(paragraph: Any) -> None:
    from docx.oxml.ns import qn

    def run(text: str) -> Any:
        added = paragraph.add_run(text)
        added.font.size = _pt(PAGE_NUMBER_PT)
        _set_fonts(added._r.get_or_add_rPr().get_or_add_rFonts(), SONGTI, SONGTI)
        return added

    run("— ")
    field = paragraph._p.makeelement(qn("w:fldSimple"), {qn("w:instr"): " PAGE "})
    number = run("1")  # what a reader shows until it updates the field
    field.append(number._r)
    paragraph._p.append(field)
    run(" —")


def _properties(document: Document, doc: OpinionDocument) -> None:
    import datetime as dt

    props = document.core_properties
    props.title = f"{doc.title}（{doc.case_id}）"
    props.subject = doc.case_title
    props.author = props.last_modified_by = "rongcuo"
    props.keywords = "容错纠错；认定意见书"
    props.comments = "rongcuo 指纹（SHA-256）：" + doc.fingerprint.full
    props.revision = 1
    props.created = props.modified = dt.datetime.fromisoformat(FIXED_DATE)


def reproducible(package: bytes) -> bytes:
    """The same zip with every member dated 1980-01-01: python-docx stamps the time of writing."""
    source = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            target.writestr(member, source.read(info.filename))
    return out.getvalue()
