"""Split a run's inputs into N disjoint shards, so that any scheduler can spread a folder over machines.

Item ``i`` of the walk (0-based, in the walk's sorted order) belongs to shard ``i mod N``; shards are
numbered from 0, like datatrove's ranks and Slurm's ``SLURM_ARRAY_TASK_ID`` with ``--array=0-(N-1)``.
Every item falls into exactly one shard, and the shards of one N together hold every item.

>>> shard = parse_shard("1/3")
>>> shard
Shard(index=1, count=3)
>>> list(shard.select("abcdefg"))
['b', 'e']
>>> list(parse_shard("0/1").select("abc"))
['a', 'b', 'c']
>>> parse_shard("3/3")
Traceback (most recent call last):
...
ValueError: shard 3/3 does not exist: shards of 3 are numbered 0 to 2
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice
from typing import Iterable, Iterator, TypeVar

T = TypeVar("T")

_SHARD = re.compile(r"(\d+)/(\d+)", re.ASCII)


@dataclass(frozen=True)
class Shard:
    """Shard ``index`` of ``count`` (0 ≤ index < count)."""

    index: int
    count: int

    def __post_init__(self) -> None:
        if self.count < 1:
            raise ValueError(f"shard {self}: the number of shards must be at least 1")
        if not 0 <= self.index < self.count:
            raise ValueError(
                f"shard {self} does not exist: shards of {self.count} are numbered 0 to {self.count - 1}"
            )

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    def select(self, items: Iterable[T]) -> Iterator[T]:
        """The items of this shard, in their order: item ``i`` is kept when ``i mod count == index``."""
        return islice(items, self.index, None, self.count)


#: The shard that holds everything.
WHOLE = Shard(0, 1)


def parse_shard(text: str) -> Shard:
    """``"I/N"`` as a :class:`Shard`; a :class:`ValueError` says what is wrong with any other text.

    >>> parse_shard("2/x")
    Traceback (most recent call last):
    ...
    ValueError: '2/x' is not a shard: write I/N with whole numbers, like 0/4 for the first of 4 shards
    """
    match = _SHARD.fullmatch(text)
    if not match:
        raise ValueError(f"{text!r} is not a shard: write I/N with whole numbers, like 0/4 for the first of 4 shards")
    return Shard(int(match.group(1)), int(match.group(2)))
