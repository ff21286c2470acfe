"""A page that fails as a whole is landed record by record, so that one record cannot fail
its batch or stall its source.

The gate is meant to catch every record a later step would refuse. When one slips past
it anyway (a cast, a trigger or a PostGIS error in landing, an exception in the gate
itself), the page's transaction rolls back and its records are tried again one at a
time, each in its own transaction: those that pass land, and the one that fails is
quarantined as `load_failed`, with the step and the error's class, never its text (a
cast error quotes the value) and never the record's content (the payload kept is
withheld: only its hash says which content it was).

Only the errors a record's content can cause are isolated: a value PostgreSQL refuses
(`DataError`, `IntegrityError`), a trigger's or PostGIS's refusal (`RaiseException`,
`InternalError`), and what the gate's Python raises on a value (`ValueError`, `TypeError`,
`KeyError`, `IndexError`, `RecursionError`). Anything else (the connection lost, a timeout,
a lost grant, a missing table, a model that cannot load) says nothing of a record: it fails
the batch, which Airflow retries, and so does a page of several records that all fail
alone with the same error, which is the sign of a cause outside them.
"""

from __future__ import annotations

import copy
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

import psycopg

from tranquillite.ingestion.contract import Problem
from tranquillite.ingestion.gate import content_digest
from tranquillite.ingestion.landing import Batch, Counts, QuarantineRow

log = logging.getLogger(__name__)

T = TypeVar("T")
# a page of at least this many records that all fail alone, with one error: not the records'
SYSTEMIC_PAGE = 3
# what one record's content can cause; anything else fails the batch, which is retried
RECORD_ERRORS: tuple[type[BaseException], ...] = (
    psycopg.DataError,
    psycopg.IntegrityError,
    psycopg.errors.RaiseException,
    psycopg.InternalError,
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    RecursionError,
)


@dataclass(frozen=True)
class Identity:
    """What the quarantine may show of a record that failed: ids already made safe by the
    source (a hash where the id could hold anything)."""

    record_id: str | None = None
    record_version: int | None = None
    line_number: int | None = None
    # the record's own content, as the source sent it: only its digest is kept
    content: Any = None
    # the id as the source gave it, only for a file feed to keep the record current (a
    # record present in a delivery but held is not closed); never stored in quarantine
    seen: str | None = None


def land_isolating(
    batch: Batch,
    records: Sequence[T],
    land: Callable[[Sequence[T], int], list[str]],
    identity: Callable[[T], Identity],
    received_at: datetime,
    *,
    step: str,
) -> tuple[Counts, list[str]]:
    """Run `land(records, pages)` in one transaction (`pages` is what the call adds to the
    batch's page count); if it fails on a record's account, run it for each record alone.
    Returns the page's counts and what `land` returns (the ids a feed saw but held)."""
    before = copy.deepcopy(batch.counts)
    try:
        with batch.transaction():
            seen = land(records, 1)
        return batch.counts.since(before), seen
    except RECORD_ERRORS as exc:
        first = exc
        log.warning(
            "%s failed as a whole (%s, batch %s): landing its %d record(s) one by one",
            step,
            type(exc).__name__,
            batch.batch_id,
            len(records),
        )
    seen = []
    failures: list[tuple[T, BaseException]] = []
    pages = 1
    for record in records:
        try:
            with batch.transaction():
                seen.extend(land([record], pages))
            pages = 0
        except RECORD_ERRORS as exc:
            failures.append((record, exc))
    if len(records) >= SYSTEMIC_PAGE and len(failures) == len(records) and len({type(e) for _, e in failures}) == 1:
        # every record of the page refused alone, for the same reason: the cause is not in them
        raise first
    for record, failure in failures:
        who = identity(record)
        row = QuarantineRow(
            Problem("load_failed", f"(record): {type(failure).__name__} during {step}; the rest of the page landed"),
            json.dumps({"withheld": "load_failed"}),
            content_digest(who.content),
            who.record_id,
            who.record_version,
            who.line_number,
        )
        if who.seen is not None:
            seen.append(who.seen)
        with batch.transaction():
            batch.quarantine([row], received_at)
            batch.record_page(Counts(received=1, quarantined=1, pages=pages, reasons={"load_failed": 1}))
        pages = 0
    log.warning(
        "%s: %d record(s) of %d quarantined as load_failed (batch %s)",
        step,
        len(failures),
        len(records),
        batch.batch_id,
    )
    return batch.counts.since(before), seen
