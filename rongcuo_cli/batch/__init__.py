"""batch — many case files through one ruleset: discovery, worker processes, records, output formats, the summary.

May import: ``model``, ``load``, ``engine``. Never Typer or Rich.
"""
