"""The fewest answers that settle an open case, found on the table of its completions.

The table gives, for every completion of the missing facts, its outcome. A
set of answers (some facts, one value each) settles the case to an outcome
when every completion that agrees with it has that outcome. Sets are tried
smallest first; among those of one size, in the order of
``itertools.combinations`` over the facts and then ``itertools.product`` over
their values.

Why bit sets: a completion is a position in the table (the first fact the
most significant digit), an outcome the set of positions that have it, as
one integer. The answers that settle the case on a set of facts C are then
one mask: every position whose other digits are 0, less those that some
completion of another outcome projects onto when the facts outside C are
forgotten. Forgetting a fact is a few shifts, worked out once per set of
facts; the first answers in product order are the lowest bit.
"""

from __future__ import annotations

from itertools import combinations
from typing import Mapping, Sequence


class Table:
    """Outcome → the completions (bit positions) with that outcome, over facts with these domain sizes."""

    def __init__(self, masks: Mapping[str, int], sizes: Sequence[int]):
        self.masks, self.sizes = dict(masks), list(sizes)
        n = len(sizes)
        self.strides = [1] * n
        for at in range(n - 2, -1, -1):
            self.strides[at] = self.strides[at + 1] * sizes[at + 1]
        total = self.strides[0] * sizes[0] if n else 1
        self.full = (1 << total) - 1
        # Per fact: the positions where its digit is 0 (one run of ``stride`` bits in each period of its digit).
        self.zero = []
        for size, stride in zip(sizes, self.strides):
            repeat = self.full // ((1 << stride * size) - 1)  # a 1 at the start of every period
            self.zero.append(((1 << stride) - 1) * repeat)
        self.all_facts = (1 << n) - 1
        self._other: dict[tuple[str, int], int] = {}
        self._slice: dict[int, int] = {self.all_facts: self.full}

    def fewest(self, outcomes: Sequence[str]) -> tuple[str, dict[int, int]] | None:
        """The first smallest answers (fact position → value position) settling the case to one of ``outcomes``.

        Among answers of one size, an outcome listed earlier wins, then the first
        answers in the search order. None: no answers settle the case so.
        """
        wanted = [o for o in outcomes if self.masks.get(o)]
        for size in range(1, len(self.sizes) + 1) if wanted else ():
            best: tuple[int, tuple[int, ...], int] | None = None
            for chosen in combinations(range(len(self.sizes)), size):
                facts = sum(1 << at for at in chosen)
                for rank, outcome in enumerate(wanted):
                    if best is not None and rank >= best[0]:
                        break
                    settling = self._slice_of(facts) & ~self._other_of(outcome, facts)
                    if settling:
                        best = (rank, chosen, (settling & -settling).bit_length() - 1)
                        break
            if best is not None:
                rank, chosen, position = best
                return wanted[rank], {at: position // self.strides[at] % self.sizes[at] for at in chosen}
        return None

    def _slice_of(self, facts: int) -> int:
        """The positions whose digits outside ``facts`` are all 0."""
        found = self._slice.get(facts)
        if found is None:
            forget = _lowest_missing(facts)
            found = self._slice[facts] = self._slice_of(facts | 1 << forget) & self.zero[forget]
        return found

    def _other_of(self, outcome: str, facts: int) -> int:
        """Positions of the slice of ``facts`` that some completion with another outcome agrees with."""
        key = (outcome, facts)
        found = self._other.get(key)
        if found is None:
            if facts == self.all_facts:
                found = self.full & ~self.masks[outcome]
            else:
                forget = _lowest_missing(facts)
                wider = self._other_of(outcome, facts | 1 << forget)
                stride, zero = self.strides[forget], self.zero[forget]
                found = 0
                for value in range(self.sizes[forget]):
                    found |= (wider >> (value * stride)) & zero
            self._other[key] = found
        return found


def _lowest_missing(facts: int) -> int:
    """The position of the lowest 0 bit of ``facts``."""
    return (~facts & (facts + 1)).bit_length() - 1
