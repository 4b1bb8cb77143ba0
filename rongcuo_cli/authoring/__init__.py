"""authoring — for people who write rulesets: lint, ruleset tests, coverage of a folder of cases, JSON Schemas, quote checks.

May import: ``model``, ``load``, ``engine``. Never Typer or Rich.
"""
