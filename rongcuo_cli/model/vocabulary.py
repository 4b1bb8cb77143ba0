"""The shared fact vocabulary: names, Chinese labels, questions, dimensions."""

from __future__ import annotations

from typing import Optional

from pydantic import BaseModel, ConfigDict, Field, model_validator

from rongcuo_cli.model.diagnostics import closest

# The words a case file may write for a fact besides true/false. Only the
# unambiguous ones: 有、无、对、y、1 … stay refused, since a ruling must not rest
# on a guess about what "有" meant. 不清楚 is the same as leaving the fact out.
FACT_WORDS: dict[str, Optional[bool]] = {"是": True, "否": False, "不清楚": None}
# The case fields whose values are vocabulary choices (an id, its label or an alias).
CHOICE_FIELDS = ("loss", "context", "body")


class FactTerm(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    dimension: str = Field(description="所属判定维度")
    label: str = Field(description="中文名称")
    question: str = Field(description="事实缺失时向办案人员提出的问题")


class LossTerm(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    dimension: str
    label: str
    question: str
    levels: dict[str, str] = Field(description="损失档次，从轻到重")
    aliases: dict[str, list[str]] = Field(default_factory=dict, description="档次的其他写法")


class ContextTerm(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    label: str
    question: str
    tags: dict[str, str]
    aliases: dict[str, list[str]] = Field(default_factory=dict, description="标签的简称")


class BodyTerm(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    label: str
    question: str
    values: dict[str, str]
    aliases: dict[str, list[str]] = Field(default_factory=dict, description="主体类型的其他写法")


class Vocabulary(BaseModel):
    """Everything a case may state and a ruleset may test."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    dimensions: dict[str, str]
    facts: dict[str, FactTerm]
    loss: LossTerm
    context: ContextTerm
    body: BodyTerm

    @model_validator(mode="after")
    def _spellings_are_unique(self) -> "Vocabulary":
        """Each written form names one choice: an alias that also named another would make a case mean two things."""
        for name in CHOICE_FIELDS:
            labels, aliases = self.choice_labels(name), self._aliases(name)
            unknown = set(aliases) - set(labels)
            if unknown:
                raise ValueError(f"{name}.aliases names unknown ids: {sorted(unknown)}")
            seen: dict[str, str] = {}
            for choice, label in labels.items():
                for form in (choice, label, *aliases.get(choice, [])):
                    if seen.setdefault(form, choice) != choice:
                        raise ValueError(f"{name}: `{form}` names both {seen[form]} and {choice}")
        return self

    def choice_labels(self, name: str) -> dict[str, str]:
        """The ids of ``loss``, ``context`` or ``body`` and their Chinese labels, in vocabulary order."""
        return {"loss": self.loss.levels, "context": self.context.tags, "body": self.body.values}[name]

    def _aliases(self, name: str) -> dict[str, list[str]]:
        return {"loss": self.loss.aliases, "context": self.context.aliases, "body": self.body.aliases}[name]

    def spellings(self, name: str) -> dict[str, str]:
        """Every form a case may write for a choice of ``loss``/``context``/``body`` (id, label, aliases) → its id."""
        aliases = self._aliases(name)
        found: dict[str, str] = {}
        for choice, label in self.choice_labels(name).items():
            found.update(dict.fromkeys((choice, label, *aliases.get(choice, [])), choice))
        return found

    def allowed_text(self, name: str) -> str:
        """The choices of ``loss``/``context``/``body`` as a message lists them: ``minor（较小）、…``."""
        return "、".join(f"{choice}（{label}）" for choice, label in self.choice_labels(name).items())

    def choice_hint(self, name: str, written: str) -> str | None:
        """A did-you-mean naming both the Chinese label and the id, or None when nothing is close.

        Why a lower cutoff than for English names: a two-character Chinese label
        with one character wrong (较少 for 较小) is only half similar.
        """
        spellings = self.spellings(name)
        near = closest(written, spellings, cutoff=0.5)
        if near is not None:
            choice = spellings[near]
            return f"是否想写 `{self.choice_labels(name)[choice]}`（{choice}）？"
        return None

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
