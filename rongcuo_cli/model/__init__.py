"""model — the data every other layer speaks in; no I/O.

Owns: the case file (contract 1), the ruleset file format with its condition
language and that language's compiled form (closures and the rule graph, pure
functions of the model), the ruling (contract 2), three-valued logic, the
fact vocabulary's types, the sanction ladders' types, diagnostics and the
escaping of untrusted text.

May import: nothing of rongcuo outside ``model``.
"""
