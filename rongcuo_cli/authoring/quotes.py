"""Check that a citation's quote really occurs in its source text.

Why: the seeds were extracted from print, so whitespace is scattered through
clauses and punctuation is sometimes half-width. Both sides are normalised the
same way (NFKC width folding, curly quotes straightened, whitespace removed)
before comparing; each fragment of a split clause must occur on its own.
"""

from __future__ import annotations

import re
import unicodedata

from rongcuo_cli.model.ruleset import Citation

_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "「": '"', "」": '"'})
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", text).translate(_QUOTES))


def fragments(citation: Citation) -> list[str]:
    return list(citation.quote) if isinstance(citation.quote, list) else [citation.quote]


def missing_fragments(citation: Citation, source_text: str) -> list[str]:
    """Fragments of the quote that do not occur in the source (empty when all do)."""
    haystack = normalise(source_text)
    return [fragment for fragment in fragments(citation) if normalise(fragment) not in haystack]
