"""The sanction ladders (党纪处分, 政务处分, 问责方式) as data: grades lightest first, effect periods, citations.

The ladders themselves are in ``rulesets/_ladders.yaml``; ``load.ladders`` reads them.
"""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

from rongcuo_cli.model.ruleset import Citation


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Effect(_Frozen):
    """What a grade entails, and for how long."""

    text: str = Field(description="影响期")
    cites: Citation = Field(description="依据")


class Exemption(_Frozen):
    text: str = Field(description="免予处分的说法，如 免予党纪处分")
    alternatives: list[str] = Field(description="免予处分时仍可给予的措施")
    cites: Citation = Field(description="依据")


class Ladder(_Frozen):
    label: str = Field(description="处分序列名称")
    basis: Literal["text", "interpretation"] = Field(default="text", description="档次顺序出自原文或本工具的解释")
    grades: list[str] = Field(min_length=1, description="处分档次，从轻到重")
    aliases: dict[str, str] = Field(default_factory=dict, description="别名 → 档次")
    cites: Citation = Field(description="档次的依据")
    lighter: Citation = Field(description="从轻的依据")
    reduced: Citation = Field(description="减轻的依据")
    not_reducible_alone: list[str] = Field(default_factory=list, description="只有这一个档次时不适用减轻")
    exempt: Exemption = Field(description="免予处分")
    effects: dict[str, Effect] = Field(default_factory=dict, description="档次 → 影响期")

    def grade(self, name: str) -> Optional[str]:
        name = name.strip()
        return name if name in self.grades else self.aliases.get(name)

    def span(self, lightest: str, heaviest: str) -> tuple[int, int]:
        """Positions on this ladder of two names already known to be on it (see ``Ladders.placing``)."""
        low, high = self.grade(lightest), self.grade(heaviest)
        if low is None or high is None:
            raise ValueError(f"`{lightest}` 或 `{heaviest}` 不在{self.label}的档次中")
        return self.grades.index(low), self.grades.index(high)


class FirstForm(_Frozen):
    """监督执纪第一种形态: measures that are not sanctions."""

    label: str = Field(description="名称")
    measures: list[str] = Field(description="措施")
    cites: Citation = Field(description="依据")


class Ladders(_Frozen):
    first_form: FirstForm = Field(description="第一种形态的措施")
    ladders: dict[str, Ladder] = Field(description="处分序列")

    def names(self) -> list[str]:
        return sorted({n for ladder in self.ladders.values() for n in [*ladder.grades, *ladder.aliases]})

    def placing(self, names: list[str]) -> list[str]:
        """Ladders on which every name is a grade."""
        return [key for key, ladder in self.ladders.items() if all(ladder.grade(n) for n in names)]
