"""Where the shipped rulesets live, in a wheel and in a checkout alike."""

from __future__ import annotations

import importlib.resources
from importlib.resources.abc import Traversable
from pathlib import Path


def rulesets_dir() -> Traversable:
    """The folder holding the shipped ``*.yaml`` rulesets and the vocabulary.

    Why: the wheel maps the top-level ``rulesets/`` folder to the package
    ``rongcuo_cli.rulesets``; a bare checkout run without installing has no
    such package, so we fall back to the folder beside the package.
    """
    try:
        return importlib.resources.files("rongcuo_cli.rulesets")
    except ModuleNotFoundError:
        return Path(__file__).resolve().parents[2] / "rulesets"
