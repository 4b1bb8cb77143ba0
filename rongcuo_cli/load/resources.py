"""Where the shipped rulesets live, in a wheel and in a checkout alike."""

from __future__ import annotations

import importlib.resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:  # pydantic is not needed to find the rulesets (start-up of `rongcuo --help`)
    from pydantic import BaseModel

Model = TypeVar("Model", bound="BaseModel")


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


def load_shipped(name: str, model: type[Model]) -> Model:
    """A data file shipped beside the rulesets (``_vocabulary.yaml``, ``_ladders.yaml``), validated as ``model``."""
    from rongcuo_cli.load import trusted_source

    resource = rulesets_dir() / name
    return model.model_validate(trusted_source.parse(resource.read_text(encoding="utf-8"), name).data)
