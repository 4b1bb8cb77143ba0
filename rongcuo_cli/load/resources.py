"""Where the shipped rulesets live, in a wheel and in a checkout alike."""

from __future__ import annotations

import importlib.resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from rongcuo_cli.load import compiled_cache

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


# The digest of each shipped data file as it was read to build what this process uses.
_READ: dict[str, str] = {}


def load_shipped(name: str, model: type[Model]) -> Model:
    """A data file shipped beside the rulesets (``_vocabulary.yaml``, ``_ladders.yaml``), validated as ``model``.

    Kept in ``compiled_cache`` between runs: validating the vocabulary costs more than reading it.
    """
    from rongcuo_cli.load import trusted_source

    resource = rulesets_dir() / name
    identity = ("shipped", name, str(resource), model.__module__, model.__qualname__)
    hit = compiled_cache.lookup(identity)
    if hit is not None and type(hit.value) is model:
        _READ[name] = compiled_cache.digest(hit.files[str(resource)])
        return hit.value
    raw = resource.read_bytes()
    value = model.model_validate(trusted_source.parse(raw.decode("utf-8"), name).data)
    _READ[name] = compiled_cache.digest(raw)
    if isinstance(resource, Path):  # a file on disk, which a later run can read again to check
        compiled_cache.store(identity, value, {str(resource): _READ[name]})
    return value


def shipped_digest(name: str) -> dict[str, str]:
    """{path: digest} of a shipped data file: as read by this process if it was, else as it is now."""
    resource = rulesets_dir() / name
    if name not in _READ:
        _READ[name] = compiled_cache.digest(resource.read_bytes())
    return {str(resource): _READ[name]}
