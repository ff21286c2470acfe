"""Landing, promotion and deliveries of the municipal feeds (the ledger is `landing.Batch`).

A page lands in its own transaction: accepted records by COPY into
`landing.feed_records`, the rest into quarantine. After the batch-level
validation, the accepted records move to `raw.feed_records` (the agreement's
partition), keyed on their content: a content received again only moves
`last_seen_at`. A file feed also records each delivery, which is what makes a
re-delivered file replace the earlier one and a work site missing from a newer
snapshot closed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from tranquillite.ingestion.contract import Problem
from tranquillite.ingestion.gate import Judged
from tranquillite.ingestion.landing import Batch, Counts, QuarantineRow, refresh_statistics
from tranquillite.sources.feeds.config import FeedConfig, get
from tranquillite.sources.feeds.gate import Item, quarantine_id, record_id


@dataclass
class Delivery:
    """One file or snapshot of a file feed."""

    name: str
    content_sha256: str
    etag: str | None = None
    records: int = 0


def _updated_at(feed: FeedConfig, record: object) -> str | None:
    if not feed.updated_at_path or not isinstance(record, dict):
        return None
    value = get(feed.updated_at_path, record)
    return value if isinstance(value, str) else None


def land_feed_page(
    batch: Batch,
    feed: FeedConfig,
    items: Sequence[Item],
    judged: Sequence[Judged],
    received_at: datetime,
    *,
    delivery: str | None = None,
    pages: int = 1,
) -> tuple[Counts, list[str]]:
    """Call inside a transaction. Returns the page's counts and the ids of the quarantined
    records that had one (a file feed still counts those records as present). `pages`: what
    this call adds to the batch's page count (see `ingestion.isolation`)."""
    conn = batch.conn
    page = Counts(received=len(judged), pages=pages)
    good = [(item, j) for item, j in zip(items, judged, strict=True) if j.problem is None]
    bad = [
        QuarantineRow(
            j.problem, j.json_text, j.sha256, quarantine_id(feed, j.record), None, item.line_number, j.finding_types
        )
        for item, j in zip(items, judged, strict=True)
        if j.problem is not None
    ]
    seen_bad = [
        rid
        for item, j in zip(items, judged, strict=True)
        if j.problem is not None and (rid := record_id(feed, j.record))
    ]
    if good:
        conn.execute(
            "create temp table if not exists feed_page (record_id text, payload_sha256 text, payload jsonb,"
            " source_updated_at timestamptz, line_number int) on commit delete rows"
        )
        with conn.cursor() as cur:
            with cur.copy(
                "copy feed_page (record_id, payload_sha256, payload, source_updated_at, line_number) from stdin"
            ) as copy:
                for item, j in good:
                    copy.write_row(
                        (
                            record_id(feed, j.record),
                            j.sha256,
                            j.json_text,
                            _updated_at(feed, j.record),
                            item.line_number,
                        )
                    )
            cur.execute(
                "insert into landing.feed_records (batch_id, source, record_id, payload_sha256, payload,"
                " source_updated_at, delivery, line_number, copies)"
                " select %s, %s, record_id, payload_sha256, min(payload::text)::jsonb, min(source_updated_at), %s,"
                " min(line_number), count(*) from feed_page group by record_id, payload_sha256"
                " on conflict (batch_id, record_id, payload_sha256)"
                " do update set copies = landing.feed_records.copies + excluded.copies",
                (batch.batch_id, feed.source, delivery),
            )
        page.loaded = len(good)
        page.count_masked([j for _, j in good])
    batch.quarantine(bad, received_at)
    page.quarantined = len(bad)
    for q in bad:
        page.reasons[q.problem.code] = page.reasons.get(q.problem.code, 0) + 1
    batch.record_page(page)
    return page, seen_bad


def promote_feed_batch(
    batch: Batch,
    feed: FeedConfig,
    rejected: dict[tuple, tuple[str, str]],
    received_at: datetime,
    *,
    deliveries: Sequence[Delivery] = (),
    seen_quarantined: Sequence[str] = (),
) -> None:
    """After the batch-level validation: rejected rows to quarantine, the rest to raw, and the
    deliveries recorded, all in one transaction."""
    conn = batch.conn
    with conn.transaction():
        moved = Counts()
        for (rid, sha), (code, detail) in rejected.items():
            row = conn.execute(
                "delete from landing.feed_records where batch_id = %s and record_id = %s and payload_sha256 = %s"
                " returning payload, payload::text, line_number, copies",
                (batch.batch_id, rid, sha),
            ).fetchone()
            if row is None:
                continue
            payload, text, line_number, copies = row
            batch.quarantine(
                [QuarantineRow(Problem(code, detail), text, sha, quarantine_id(feed, payload), None, line_number)],
                received_at,
            )
            moved.loaded -= copies
            moved.quarantined += copies
            moved.reasons[code] = moved.reasons.get(code, 0) + copies
        conn.execute("select raw.ensure_agreement_partition('feed_records', %s)", (batch.convention_id,))
        # contents seen before only move last_seen_at; the rest are new rows
        conn.execute(
            "update raw.feed_records r set last_seen_at = %s, delivery = l.delivery, line_number = l.line_number"
            " from landing.feed_records l where l.batch_id = %s and r.convention_id = %s and r.source = l.source"
            " and r.record_id = l.record_id and r.payload_sha256 = l.payload_sha256",
            (received_at, batch.batch_id, batch.convention_id),
        )
        inserted = conn.execute(
            "insert into raw.feed_records (convention_id, source, record_id, payload_sha256, payload,"
            " source_updated_at, delivery, line_number, batch_id, received_at, last_seen_at)"
            " select %s, source, record_id, payload_sha256, payload, source_updated_at, delivery, line_number,"
            " batch_id, %s, %s from landing.feed_records where batch_id = %s"
            " order by source_updated_at nulls first, record_id"
            " on conflict (convention_id, source, record_id, payload_sha256) do nothing",
            (batch.convention_id, received_at, received_at, batch.batch_id),
        )
        moved.new_rows = inserted.rowcount
        if seen_quarantined and deliveries:
            # present in the delivery but held at the gate: its last good content stays current
            conn.execute(
                "update raw.feed_records r set last_seen_at = %s where r.convention_id = %s and r.source = %s"
                " and r.record_id = any(%s) and r.last_seen_at = (select max(q.last_seen_at) from raw.feed_records q"
                " where q.source = r.source and q.record_id = r.record_id)",
                (received_at, batch.convention_id, feed.source, list(set(seen_quarantined))),
            )
        for d in deliveries:
            conn.execute(
                "insert into ops.feed_deliveries (source, delivery, delivered_at, content_sha256, etag, batch_id,"
                " records, convention_id) values (%s, %s, %s, %s, %s, %s, %s, %s)",
                (
                    feed.source,
                    d.name,
                    received_at,
                    d.content_sha256,
                    d.etag,
                    batch.batch_id,
                    d.records,
                    batch.convention_id,
                ),
            )
        conn.execute("delete from landing.feed_records where batch_id = %s", (batch.batch_id,))
        batch.record_page(moved)
    refresh_statistics(conn, "feed_records", batch.convention_id, moved.new_rows)


def discard_feed_landing(batch: Batch) -> None:
    with batch.conn.transaction():
        batch.conn.execute("delete from landing.feed_records where batch_id = %s", (batch.batch_id,))


def latest_delivery(conn, source: str, name: str) -> tuple[str, str | None] | None:
    """(content sha256, etag) of the latest delivery of a file, or None."""
    return conn.execute(
        "select content_sha256, etag from ops.feed_deliveries where source = %s and delivery = %s"
        " order by delivered_at desc limit 1",
        (source, name),
    ).fetchone()
