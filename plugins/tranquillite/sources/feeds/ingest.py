"""One run of one municipal feed: transport, gate, landing, GX, promotion. Generic:
everything that differs between feeds is in their configuration."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from tranquillite.compliance.conventions import assert_ingestion_allowed
from tranquillite.core.settings import LOADER_CONN_ID
from tranquillite.ingestion import governance, landing
from tranquillite.ingestion.contract import parse_datetime
from tranquillite.ingestion.hardening import not_after
from tranquillite.ingestion.isolation import Identity, land_isolating
from tranquillite.ingestion.lock import source_lock
from tranquillite.sources.feeds import config as feed_config
from tranquillite.sources.feeds.gate import Item, judge_feed_records, quarantine_id, record_id
from tranquillite.sources.feeds.loading import discard_feed_landing, land_feed_page, promote_feed_batch
from tranquillite.sources.feeds.transports import PAGE, Unit, open_units
from tranquillite.warehouse import connect, ensure_migrated

log = logging.getLogger(__name__)


@dataclass
class FeedResult(landing.BatchResult):
    source: str = ""
    deliveries: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """New content, or a delivery that may replace or close earlier records."""
        return self.new_rows > 0 or bool(self.deliveries)


def ingest_feed(
    source: str,
    *,
    updated_since: datetime | None = None,
    full_refresh: bool = False,
    dag_id: str | None = None,
    run_id: str | None = None,
    task_id: str | None = None,
    warehouse_conn_id: str = LOADER_CONN_ID,
) -> FeedResult:
    feed = feed_config.feed(source)
    with connect(warehouse_conn_id, autocommit=True) as conn:
        ensure_migrated(conn)
        assert_ingestion_allowed(conn, feed.source, feed.agreement.convention_id)
        with source_lock(conn, feed.source):
            return _ingest(conn, feed, updated_since, full_refresh, dag_id, run_id, task_id)


def _ingest(conn, feed, updated_since, full_refresh, dag_id, run_id, task_id) -> FeedResult:
    if feed.updated_at_path and updated_since is None and not full_refresh:
        mark = landing.read_watermark(conn, feed.source)
        if mark is not None:
            updated_since = mark - timedelta(minutes=int(feed.options.get("lookback_minutes", 10)))
    batch = landing.Batch(
        conn,
        feed.source,
        feed.agreement.convention_id,
        dag_id=dag_id,
        run_id=run_id,
        task_id=task_id,
        requested_since=updated_since,
    )
    units = open_units(feed, conn, updated_since, full_refresh=full_refresh)
    return _run_batch(conn, feed, batch, units, run_id=run_id, requested_since=updated_since)


def _run_batch(
    conn,
    feed,
    batch: landing.Batch,
    units: Iterable[Unit],
    *,
    run_id: str | None,
    requested_since=None,
    received_at: datetime | None = None,
) -> FeedResult:
    """Gate, land, validate and promote every page of every unit (a file, or an API's pages)."""
    approved = governance.approved_signatures(conn, feed.source)
    high_water: datetime | None = None
    deliveries, seen_quarantined, docs = [], [], None
    # one instant for the whole batch: a delivery's records are all "seen" at it
    received_at = received_at or landing.utcnow()
    try:
        for unit in units:
            name = unit.delivery.name if unit.delivery else None
            for items in unit.pages:
                limit = not_after(None)

                def land(chunk: Sequence[Item], added: int, limit: datetime = limit, name: str | None = name) -> list:
                    judged = judge_feed_records(conn, feed, chunk, not_after=limit, approved=approved)
                    _, seen_bad = land_feed_page(batch, feed, chunk, judged, received_at, delivery=name, pages=added)
                    return seen_bad

                counts, seen_bad = land_isolating(
                    batch, items, land, partial(_identity, feed), received_at, step=f"landing {feed.source}"
                )
                seen_quarantined.extend(seen_bad)
                high_water = _latest(feed, items, high_water, limit)
                log.info(
                    "%s%s: received %d, accepted %d, quarantined %d %s",
                    feed.source,
                    f" {name}" if name else "",
                    counts.received,
                    counts.loaded,
                    counts.quarantined,
                    counts.reasons or "",
                )
            batch.stopped_early = batch.stopped_early or unit.stopped_early()
            if unit.delivery:
                deliveries.append(unit.delivery)
        rejected = {}
        if batch.counts.loaded:
            from tranquillite.ingestion.validation import validate_feed_batch  # GX is slow to import

            validation = validate_feed_batch(feed, str(batch.batch_id), run_name=run_id, approved=approved)
            rejected, docs = validation.rejected, validation.data_docs
        promote_feed_batch(batch, feed, rejected, received_at, deliveries=deliveries, seen_quarantined=seen_quarantined)
        total = batch.finish(high_water)
    except BaseException as exc:
        batch.fail_with(exc, "the feed's batch")
        discard_feed_landing(batch)
        raise
    return FeedResult.of(
        batch,
        total,
        docs,
        requested_since=requested_since,
        high_water=high_water,
        source=feed.source,
        deliveries=[d.name for d in deliveries],
    )


def replay_held_feed(
    source: str,
    *,
    dag_id: str | None = None,
    run_id: str | None = None,
    warehouse_conn_id: str = LOADER_CONN_ID,
) -> FeedResult:
    """Put a feed's records held for schema drift whose every change the DPO has now approved
    through the gate again, as Cortège's are (`ingest_cortege.replay_held`): those that pass
    land, the others stay held, nothing is lost. The held copies are already masked."""
    feed = feed_config.feed(source)
    with connect(warehouse_conn_id, autocommit=True) as conn, source_lock(conn, feed.source):
        ensure_migrated(conn)
        rows = [] if feed.transport in FILE_TRANSPORTS else landing.held_for_approved_drift(conn, feed.source)
        if feed.transport in FILE_TRANSPORTS:  # see FILE_TRANSPORTS
            log.warning(
                "%s: a file feed's held records are not replayed: they stay held, and the change is accepted"
                " from the next delivery on",
                source,
            )
        ids = [r[0] for r in rows]
        items = [Item(payload, line_number) for _, payload, line_number in rows]
        batch = landing.Batch(
            conn, feed.source, feed.agreement.convention_id, dag_id=dag_id, run_id=run_id, task_id="replay_held_records"
        )
        pages = [items[i : i + PAGE] for i in range(0, len(items), PAGE)]
        received_at = landing.utcnow()
        result = _run_batch(conn, feed, batch, [Unit(None, pages)], run_id=run_id, received_at=received_at)
        # a held record is replayed when this batch landed its record (in the form the gate
        # gave it, which may differ from the held copy: a flattened geometry)
        conn.execute(
            "update quarantine.records q set status = 'replayed' where q.quarantine_id = any(%s)"
            " and exists (select 1 from raw.feed_records r where r.source = q.source"
            " and r.record_id = q.payload #>> %s::text[] and r.last_seen_at = %s)",
            (ids, feed.id_path.split("."), received_at),
        )
    log.info("%s: replayed %d held record(s): %d loaded, %d new", source, len(ids), result.loaded, result.new_rows)
    return result


# A file feed's record belongs to its delivery: which file it came in, when that file was
# seen, what a later file closed. A held copy lifted out of quarantine has none of that (it
# would land as current content of no delivery), so a file feed's held records are not
# replayed; once the DPO approved the change, the gate accepts it in every later delivery.
FILE_TRANSPORTS = frozenset({"csv_folder", "geojson_http"})


def _identity(feed: feed_config.FeedConfig, item: Item) -> Identity:
    return Identity(
        quarantine_id(feed, item.record),
        None,
        item.line_number,
        seen=record_id(feed, item.record),
        content=item.record,
    )


def _latest(feed, items, current: datetime | None, limit: datetime) -> datetime | None:
    """The latest `updated_at` of the page, never past the clocks' limit: a mark in the
    future would stop every later pull from asking for anything."""
    if not feed.updated_at_path:
        return current
    for item in items:
        value = feed_config.get(feed.updated_at_path, item.record) if isinstance(item.record, dict) else None
        if isinstance(value, str):
            try:
                moment = parse_datetime(value)
            except ValueError:
                continue
            if moment <= limit and (current is None or moment > current):
                current = moment
    return current
