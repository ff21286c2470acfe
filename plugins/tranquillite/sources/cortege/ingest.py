"""Pull Cortège into the warehouse: one batch, page by page, through the gate.

Each page is judged record by record (contract, geometry, personal data) and
lands in `landing` or in quarantine; the whole batch is then validated by Great
Expectations inside PostgreSQL and only then promoted to `raw`. The high-water
mark is the latest `updated_at` received; the next pull asks again from a few
minutes before it (the contract's clock advice) and relies on (id, version) to
drop what is already held. Records held for schema drift are replayed through
the same path once the DPO approves the change (`replay_held`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import psycopg

from tranquillite.compliance.conventions import agreement_of, assert_ingestion_allowed
from tranquillite.core.connections import get_conn
from tranquillite.core.settings import CORTEGE_CONN_ID, LOADER_CONN_ID, CortegeSettings, cortege_settings
from tranquillite.ingestion import governance, landing
from tranquillite.ingestion.contract import parse_datetime
from tranquillite.ingestion.gate import judge_entries
from tranquillite.ingestion.hardening import not_after
from tranquillite.ingestion.isolation import Identity, land_isolating
from tranquillite.ingestion.lock import source_lock
from tranquillite.sources.cortege.client import CortegeClient
from tranquillite.warehouse import connect, ensure_migrated

log = logging.getLogger(__name__)


@dataclass
class IngestResult(landing.BatchResult):
    retries: int = 0


def _updated_at(entry: object) -> datetime | None:
    if isinstance(entry, dict) and isinstance(entry.get("updated_at"), str):
        try:
            return parse_datetime(entry["updated_at"])
        except ValueError:
            return None
    return None


def _identity(entry: object) -> Identity:
    rid, version = landing.record_identity(entry)
    return Identity(rid, version, content=entry)


def validate_batch(batch_id: str, *, run_name: str | None, approved: frozenset[str]):
    """Great Expectations on the whole batch, in the warehouse (imported here: GX is slow to import)."""
    from tranquillite.ingestion.validation import validate_cortege_batch

    return validate_cortege_batch(batch_id, run_name=run_name, approved=approved)


def _run_batch(
    conn: psycopg.Connection,
    batch: landing.Batch,
    pages: Iterable[tuple[list, str | None]],
    *,
    run_id: str | None,
) -> tuple[landing.Counts, datetime | None, str | None]:
    """Gate, land, validate and promote every page (its entries and the server's clock);
    the batch's counts and high-water mark."""
    governance.sync_contract_values(conn)
    approved = governance.approved_signatures(conn, batch.source)
    high_water: datetime | None = None
    step = "the first page"
    try:
        for number, (entries, server_time) in enumerate(pages, start=1):
            step = f"landing page {number}"
            received_at = landing.utcnow()
            limit = not_after(server_time)

            def land(chunk: Sequence, added: int, limit: datetime = limit, received_at: datetime = received_at) -> list:
                judged = judge_entries(conn, list(chunk), approved, not_after=limit)
                landing.land_cortege_page(batch, judged, received_at, pages=added)
                return []

            counts, _ = land_isolating(batch, entries, land, _identity, received_at, step=step)
            for entry in entries:
                moment = _updated_at(entry)
                # never past the source's clock: a mark in the future would freeze every later pull
                if moment is not None and moment <= limit and (high_water is None or moment > high_water):
                    high_water = moment
            log.info(
                "page %d: received %d, accepted %d, quarantined %d %s",
                number,
                counts.received,
                counts.loaded,
                counts.quarantined,
                counts.reasons or "",
            )
        step = "validation"
        validation = validate_batch(str(batch.batch_id), run_name=run_id, approved=approved)
        step = "promotion"
        landing.promote_cortege_batch(batch, validation.rejected, landing.utcnow())
        step = "the balance check"
        total = batch.finish(high_water)
    except BaseException as exc:
        batch.fail_with(exc, step)
        landing.discard_landing(conn, batch.batch_id)
        raise
    return total, high_water, validation.data_docs


def ingest_cortege(
    *,
    updated_since: datetime | None = None,
    full_refresh: bool = False,
    dag_id: str | None = None,
    run_id: str | None = None,
    task_id: str | None = None,
    cortege_conn_id: str = CORTEGE_CONN_ID,
    warehouse_conn_id: str = LOADER_CONN_ID,
    settings: CortegeSettings | None = None,
) -> IngestResult:
    settings = settings or cortege_settings()
    client = CortegeClient(get_conn(cortege_conn_id), settings)
    with connect(warehouse_conn_id, autocommit=True) as conn:
        ensure_migrated(conn)
        convention_id = agreement_of(settings.source).convention_id
        assert_ingestion_allowed(conn, settings.source, convention_id)
        with source_lock(conn, settings.source):
            if updated_since is None and not full_refresh:
                mark = landing.read_watermark(conn, settings.source)
                if mark is not None:
                    updated_since = mark - timedelta(minutes=settings.lookback_minutes)
            batch = landing.Batch(
                conn,
                settings.source,
                convention_id,
                dag_id=dag_id,
                run_id=run_id,
                task_id=task_id,
                requested_since=updated_since,
            )

            def pages() -> Iterator[tuple[list, str | None]]:
                for page in client.iter_pages(updated_since):
                    yield page.entries, page.server_time
                batch.stopped_early = client.stopped_early

            total, high_water, docs = _run_batch(conn, batch, pages(), run_id=run_id)
    return IngestResult.of(
        batch, total, docs, requested_since=updated_since, retries=client.retries, high_water=high_water
    )


def replay_held(
    *,
    dag_id: str | None = None,
    run_id: str | None = None,
    warehouse_conn_id: str = LOADER_CONN_ID,
    settings: CortegeSettings | None = None,
) -> IngestResult:
    """Put the records held for schema drift whose every change is now approved through the
    gate again. Those that pass land; the others stay held; nothing is lost."""
    settings = settings or cortege_settings()
    with connect(warehouse_conn_id, autocommit=True) as conn, source_lock(conn, settings.source):
        ensure_migrated(conn)
        rows = landing.held_for_approved_drift(conn, settings.source)
        ids = [r[0] for r in rows]
        payloads = [r[1] for r in rows]
        batch = landing.Batch(
            conn,
            settings.source,
            agreement_of(settings.source).convention_id,
            dag_id=dag_id,
            run_id=run_id,
            task_id="replay_held_records",
        )
        pages = ((payloads[i : i + settings.page_size], None) for i in range(0, len(payloads), settings.page_size))
        total, _, docs = _run_batch(conn, batch, pages, run_id=run_id)
        # a record is replayed when its (id, version) is in raw now
        conn.execute(
            "update quarantine.records q set status = 'replayed' where q.quarantine_id = any(%s)"
            " and exists (select 1 from raw.cortege_entries r where r.entry_id::text = q.record_id"
            " and r.entry_version = q.record_version)",
            (ids,),
        )
    log.info("replayed %d held record(s): %d loaded, %d new", len(ids), total.loaded, total.new_rows)
    return IngestResult.of(batch, total, docs)
