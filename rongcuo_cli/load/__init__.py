"""load — files in (and written out atomically): YAML sources, case and ruleset loading, validation.

Owns: reading YAML with positions (round-trip, libyaml fast path, trusted
shipped files), turning Pydantic errors into positioned diagnostics, loading
and validating case files, finding, inheriting and compiling rulesets, the
shipped vocabulary and sanction ladders, the cache of loaded rulesets between
runs (``compiled_cache``), and atomic output files.

May import: ``model``.
"""
