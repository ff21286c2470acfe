"""A page that fails as a whole is landed record by record, so that one record cannot fail
its batch or stall its source.

The gate is meant to catch every record a later step would refuse. When one slips past
it anyway (a cast, a trigger or a PostGIS error in landing, an exception in the gate
itself), the page's transaction rolls back and its records are tried again one at a
time, each in its own transaction: those that pass land, and the one that fails is
quarantined as `load_failed`, with the step and the error's class, never its text (a
cast error quotes the value) and never the record's content (the payload kept is
withheld: only its hash says which content it was).

Errors that are not about a record (the connection lost, a lock or statement timeout, a
serialisation failure) are not isolated: they fail the batch, which Airflow retries.
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

import psycopg

from tranquillite.contract import Problem
from tranquillite.landing import Batch, Counts, QuarantineRow

log = logging.getLogger(__name__)

T = TypeVar("T")
# not about one record: the whole batch fails and is retried
NOT_ISOLATED: tuple[type[BaseException], ...] = (psycopg.OperationalError, psycopg.InterfaceError, MemoryError)


@dataclass(frozen=True)
class Identity:
    """What the quarantine may show of a record that failed: ids already made safe by the
    source (a hash where the id could hold anything)."""

    record_id: str | None = None
    record_version: int | None = None
    line_number: int | None = None
    # the id as the source gave it, only for a file feed to keep the record current (a
    # record present in a delivery but held is not closed); never stored in quarantine
    seen: str | None = None


def content_digest(record: Any) -> str:
    """A stable SHA-256 of a record whatever it holds (never stored: only the digest is)."""
    try:
        text = json.dumps(record, sort_keys=True, ensure_ascii=False, default=str)
    except (TypeError, ValueError, RecursionError):
        text = repr(type(record))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def land_isolating(
    batch: Batch,
    records: Sequence[T],
    land: Callable[[Sequence[T], int], list[str]],
    identity: Callable[[T], Identity],
    received_at: datetime,
    *,
    step: str,
) -> list[str]:
    """Run `land(records, pages)` in one transaction (`pages` is what the call adds to the
    batch's page count); if it fails on a record's account, run it for each record alone.
    Returns what `land` returns (the ids a feed saw but held), concatenated."""
    conn = batch.conn
    saved = copy.deepcopy(batch.counts)
    try:
        with conn.transaction():
            return land(records, 1)
    except NOT_ISOLATED:
        batch.counts = saved
        raise
    except Exception as exc:  # noqa: BLE001 - any error a record can cause is isolated below
        batch.counts = saved
        log.warning(
            "%s failed as a whole (%s, batch %s): landing its %d record(s) one by one",
            step,
            type(exc).__name__,
            batch.batch_id,
            len(records),
        )
    seen: list[str] = []
    pages = 1
    failed = 0
    for record in records:
        saved = copy.deepcopy(batch.counts)
        try:
            with conn.transaction():
                seen.extend(land([record], pages))
            pages = 0
            continue
        except NOT_ISOLATED:
            batch.counts = saved
            raise
        except Exception as exc:  # noqa: BLE001
            batch.counts = saved
            failure = type(exc).__name__
        failed += 1
        who = identity(record)
        row = QuarantineRow(
            Problem("load_failed", f"(record): {failure} during {step}; the rest of the page landed"),
            json.dumps({"withheld": "load_failed"}),
            content_digest(record),
            who.record_id,
            who.record_version,
            who.line_number,
        )
        if who.seen is not None:
            seen.append(who.seen)
        with conn.transaction():
            batch.quarantine([row], received_at)
            batch.record_page(Counts(received=1, quarantined=1, pages=pages, reasons={"load_failed": 1}))
        pages = 0
    log.warning(
        "%s: %d record(s) of %d quarantined as load_failed (batch %s)", step, failed, len(records), batch.batch_id
    )
    return seen
