"""The shipped fact vocabulary (``rulesets/_vocabulary.yaml``), read once."""

from __future__ import annotations

from functools import lru_cache

from rongcuo_cli.load import trusted_source
from rongcuo_cli.load.resources import rulesets_dir
from rongcuo_cli.model.vocabulary import Vocabulary

VOCABULARY_FILE = "_vocabulary.yaml"


@lru_cache(maxsize=1)
def load_vocabulary() -> Vocabulary:
    resource = rulesets_dir() / VOCABULARY_FILE
    doc = trusted_source.parse(resource.read_text(encoding="utf-8"), VOCABULARY_FILE)
    return Vocabulary.model_validate(doc.data)
