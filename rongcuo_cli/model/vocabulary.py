"""The shared fact vocabulary: names, Chinese labels, questions, dimensions."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class FactTerm(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    dimension: str = Field(description="所属判定维度")
    label: str = Field(description="中文名称")
    question: str = Field(description="事实缺失时向办案人员提出的问题")


class LossTerm(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    dimension: str
    label: str
    question: str
    levels: dict[str, str] = Field(description="损失档次，从轻到重")


class ContextTerm(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    label: str
    question: str
    tags: dict[str, str]


class BodyTerm(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    label: str
    question: str
    values: dict[str, str]


class Vocabulary(BaseModel):
    """Everything a case may state and a ruleset may test."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    dimensions: dict[str, str]
    facts: dict[str, FactTerm]
    loss: LossTerm
    context: ContextTerm
    body: BodyTerm

    @property
    def loss_levels(self) -> list[str]:
        return list(self.loss.levels)

    @property
    def public_names(self) -> list[str]:
        """Every name a case or a ruling uses, in the order rulings list them: facts, then loss, context, body."""
        return [*self.facts, "loss", "context", "body"]

    def in_order(self, names) -> list[str]:  # type: ignore[no-untyped-def]
        """``names`` (facts and loss/context/body) in vocabulary order."""
        wanted = set(names)
        return [name for name in self.public_names if name in wanted]

    def variable_label(self, name: str) -> str:
        """Chinese label of a fact or of ``loss``/``context``/``body``."""
        if name in self.facts:
            return self.facts[name].label
        return {"loss": self.loss.label, "context": self.context.label, "body": self.body.label}.get(name, name)

    def question(self, name: str) -> str:
        if name in self.facts:
            return self.facts[name].question
        return {"loss": self.loss.question, "context": self.context.question, "body": self.body.question}.get(name, name)

    def dimension_of(self, name: str) -> str:
        if name in self.facts:
            return self.facts[name].dimension
        return "consequences" if name == "loss" else "circumstances"
