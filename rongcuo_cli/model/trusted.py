"""Models built from values the engine made itself, without validating them again.

Why: a ruling is assembled from parts that are already of their field types
(validated rulesets and cases, shared trail entries); Pydantic's validation of
30 fields then costs as much as the assessment. The values are set as
``model_construct`` sets them, minus its per-field default handling: every
field must be given, in declaration order. ``tests/test_ruling_dict.py``
re-validates the engine's rulings for every sample and ruleset.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)
_set = object.__setattr__  # the models are frozen


def trusted(cls: type[M], fields: dict[str, Any]) -> M:
    model = cls.__new__(cls)
    _set(model, "__dict__", fields)
    _set(model, "__pydantic_fields_set__", set(fields))
    _set(model, "__pydantic_extra__", None)
    _set(model, "__pydantic_private__", None)
    return model


def replaced(model: M, changes: dict[str, Any]) -> M:
    """``model.model_copy(update=changes)`` for changes of the fields' own types."""
    fields = model.__dict__.copy()
    fields.update(changes)
    return trusted(type(model), fields)
