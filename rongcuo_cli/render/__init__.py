"""render — what a person reads: Rich views of rulings, rulesets, comparisons and batch summaries.

May import: ``model``, ``load``, ``engine``, ``batch`` (for the summary it shows). Rich lives here and in ``cli`` only.
"""
