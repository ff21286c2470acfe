"""What every transport of the municipal feeds yields: `Unit`s (one delivery, as pages of
`Item`s), and the error of a delivery that cannot be read at all."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from tranquillite.ingestion import deep_json
from tranquillite.sources.feeds.gate import Item
from tranquillite.sources.feeds.loading import Delivery

log = logging.getLogger(__name__)


def _cut_at() -> int:
    """Past this depth a record cannot be read whole: it is cut, and the gate quarantines it."""
    from tranquillite.core.settings import gate_limits

    return deep_json.cut_depth(gate_limits().max_depth)


PAGE = 1000


class FeedError(RuntimeError):
    """A delivery the platform cannot read at all (not one bad record: the whole of it)."""


@dataclass
class Unit:
    delivery: Delivery | None
    pages: Iterable[list[Item]]
    # once its pages are read: why they stopped before the source's end, if they did
    stopped_early: Callable[[], str | None] = lambda: None


def _chunks(items: list[Item], size: int = PAGE) -> Iterator[list[Item]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
