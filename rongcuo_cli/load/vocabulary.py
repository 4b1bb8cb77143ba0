"""The shipped fact vocabulary (``rulesets/_vocabulary.yaml``), read once."""

from __future__ import annotations

from functools import lru_cache

from rongcuo_cli.load.resources import load_shipped
from rongcuo_cli.model.vocabulary import Vocabulary

VOCABULARY_FILE = "_vocabulary.yaml"


@lru_cache(maxsize=1)
def load_vocabulary() -> Vocabulary:
    return load_shipped(VOCABULARY_FILE, Vocabulary)
