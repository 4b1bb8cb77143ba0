"""document — the 容错纠错认定意见书: a ruling written as the document a handler files and sends to the committee.

``content`` decides what the document says and in which order (blocks of
text, the same for every format); ``text_formats`` (Markdown, HTML via
Jinja2 templates in ``templates/``), ``docx_format`` (GB/T 9704-2012 layout
with python-docx) and ``docx_template`` (a user's .docx with docxtpl) only
decide how it looks. ``formats.render`` picks one by the output's suffix.

Why a subpackage of ``render``: a document is something a person reads, like
the screen view; it never imports Rich or Typer, and python-docx, docxtpl and
Jinja2 are imported only when a document is written (start-up stays quick).
"""
