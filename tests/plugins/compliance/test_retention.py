"""Raw retention keeps what is current (issue 18, faults 1 and 2): an event published long
before it happens, a work site still in a file that answers 304, records held for the DPO.
Run with the compliance role, the one the DAG uses."""

from __future__ import annotations

import json
import logging
import uuid
from datetime import UTC, date, datetime, timedelta

import psycopg
import pytest

from tranquillite.compliance import daily
from tranquillite.core.settings import COMPLIANCE_CONN_ID
from tranquillite.warehouse import connect

TODAY = date.today()
AGREEMENT = "LO2-OPENDATA-VDM"


def at(days_ago: int) -> datetime:
    return datetime.combine(TODAY - timedelta(days=days_ago), datetime.min.time(), UTC)


def day(offset: int) -> str:
    return (TODAY + timedelta(days=offset)).isoformat()


def feed_row(
    db: psycopg.Connection,
    source: str,
    rid: str,
    payload: dict,
    *,
    seen: int,
    received: int | None = None,
    delivery: str | None = None,
) -> str:
    sha = uuid.uuid4().hex
    db.execute(
        "insert into raw.feed_records (convention_id, source, record_id, payload_sha256, payload, delivery,"
        " batch_id, received_at, last_seen_at) values (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
        (
            AGREEMENT,
            source,
            rid,
            sha,
            json.dumps(payload),
            delivery,
            uuid.uuid4(),
            at(received if received is not None else seen),
            at(seen),
        ),
    )
    return sha


def delivery(db: psycopg.Connection, source: str, name: str, days_ago: int) -> None:
    db.execute(
        "insert into ops.feed_deliveries (source, delivery, delivered_at, content_sha256, batch_id, records,"
        " convention_id) values (%s, %s, %s, 'x', %s, 1, %s)",
        (source, name, at(days_ago), uuid.uuid4(), AGREEMENT),
    )


def held(db: psycopg.Connection, source: str, code: str, *, days_ago: int, signatures=(), status="held") -> int:
    return db.execute(
        "insert into quarantine.records (source, record_id, reason_code, reason_detail, payload, payload_sha256,"
        " convention_id, batch_id, received_at, status, drift_signatures) values (%s, 'r', %s, 'd', '{}', %s,"
        " %s, %s, %s, %s, %s) returning quarantine_id",
        (source, code, uuid.uuid4().hex, AGREEMENT, uuid.uuid4(), at(days_ago), status, list(signatures)),
    ).fetchone()[0]


def change(db: psycopg.Connection, source: str, signature: str, status: str) -> None:
    decided = status != "pending"
    db.execute(
        "insert into governance.schema_changes (source, signature, status, decided_by, decided_at,"
        " impact_study_ref) values (%s, %s, %s, %s, %s, %s)",
        (
            source,
            signature,
            status,
            "dpo" if decided else None,
            at(1) if decided else None,
            "AIPD-1" if decided else None,
        ),
    )


def remaining(db: psycopg.Connection) -> set[tuple[str, str]]:
    return {(r[0], r[1]) for r in db.execute("select source, record_id from raw.feed_records")}


@pytest.fixture
def aged(db: psycopg.Connection):
    """Records of every kind retention meets, 30 days being the open-data retention."""
    db.execute("select raw.ensure_agreement_partition('feed_records', %s)", (AGREEMENT,))
    tag = uuid.uuid4().hex[:8]  # other tests' changes stay in the append-only trail: signatures of our own
    ev = "evenements_espace_public"
    # published 60 days before it happens, never sent again (incremental feed): current
    feed_row(db, ev, "future", {"id_evenement": "future", "date_fin": day(+20)}, seen=60)
    # ended 40 days ago, last sent 60 days ago: past its retention
    feed_row(db, ev, "ended", {"id_evenement": "ended", "date_fin": day(-40) + "T18:00:00+01:00"}, seen=60)
    # ended 10 days ago: still within 30 days of its end
    feed_row(db, ev, "recent", {"id_evenement": "recent", "date_fin": day(-10)}, seen=60)
    # an end that is not a date: kept (and counted), never a crash of the pass
    feed_row(db, ev, "undated", {"id_evenement": "undated", "date_fin": "demain"}, seen=60)
    feed_row(db, ev, "no_end", {"id_evenement": "no_end"}, seen=60)
    # an edited event: the old content is superseded and old, the new one current
    feed_row(db, ev, "edited", {"id_evenement": "edited", "date_fin": day(+5), "v": 1}, seen=60)
    feed_row(db, ev, "edited", {"id_evenement": "edited", "date_fin": day(+5), "v": 2}, seen=2)
    tv = "travaux_voirie"
    # the file has answered 304 for 60 days: its sites are still published
    delivery(db, tv, "/travaux-voirie.geojson", 60)
    feed_row(
        db,
        tv,
        "open_site",
        {"properties": {"id_chantier": "open_site", "date_fin": day(+90)}},
        seen=60,
        delivery="/travaux-voirie.geojson",
    )
    # another file, delivered again since: a site missing from the delivery of 40 days ago was
    # closed then (past its retention), one missing from that of 5 days ago lately (kept)
    feed_row(
        db,
        tv,
        "closed_long_ago",
        {"properties": {"id_chantier": "closed_long_ago", "date_fin": day(+90)}},
        seen=70,
        delivery="/second.geojson",
    )
    feed_row(
        db,
        tv,
        "closed_lately",
        {"properties": {"id_chantier": "closed_lately", "date_fin": day(+90)}},
        seen=40,
        delivery="/second.geojson",
    )
    for days_ago in (70, 40, 5):
        delivery(db, tv, "/second.geojson", days_ago)
    # quarantine: waiting for the DPO, approved but not replayed yet, rejected, plain violations
    change(db, ev, f"sig-pending-{tag}", "pending")
    change(db, ev, f"sig-approved-{tag}", "approved")
    change(db, ev, f"sig-rejected-{tag}", "rejected")
    ids = {
        "pending": held(db, ev, "schema_drift", days_ago=60, signatures=[f"sig-pending-{tag}"]),
        "approved": held(db, ev, "schema_drift", days_ago=60, signatures=[f"sig-approved-{tag}"]),
        "rejected": held(db, ev, "schema_drift", days_ago=60, signatures=[f"sig-rejected-{tag}"]),
        "violation": held(db, ev, "schema_violation", days_ago=60),
        "fresh_violation": held(db, ev, "schema_violation", days_ago=3),
        "replayed": held(db, ev, "schema_drift", days_ago=60, signatures=[f"sig-approved-{tag}"], status="replayed"),
    }
    return ids


def quarantined(db: psycopg.Connection) -> set[int]:
    return {r[0] for r in db.execute("select quarantine_id from quarantine.records")}


def test_retention_keeps_current_records_and_held_ones(db: psycopg.Connection, aged: dict[str, int]) -> None:
    with connect(COMPLIANCE_CONN_ID) as conn:
        out = {r["source"]: r for r in daily.apply_retention(conn, TODAY)}
    assert remaining(db) == {
        ("evenements_espace_public", "future"),
        ("evenements_espace_public", "recent"),
        ("evenements_espace_public", "undated"),
        ("evenements_espace_public", "no_end"),
        ("evenements_espace_public", "edited"),
        ("travaux_voirie", "open_site"),
        ("travaux_voirie", "closed_lately"),
    }
    edited = db.execute("select payload ->> 'v' from raw.feed_records where record_id = 'edited'").fetchall()
    assert edited == [("2",)], "the superseded content goes, the current one stays"
    assert quarantined(db) == {aged["pending"], aged["approved"], aged["fresh_violation"]}
    ev = out["evenements_espace_public"]
    assert (ev["raw"], ev["quarantine"], ev["kept_undated"]) == (2, 3, 2)
    assert out["travaux_voirie"]["raw"] == 1
    runs = db.execute(
        "select source, raw_deleted, quarantine_deleted from compliance.retention_runs where source = %s"
        " order by run_id desc limit 1",
        ("evenements_espace_public",),
    ).fetchone()
    assert runs == ("evenements_espace_public", 2, 3)


def test_a_dry_run_previews_counts_and_changes_nothing(
    db: psycopg.Connection, aged: dict[str, int], caplog: pytest.LogCaptureFixture
) -> None:
    before_raw, before_q = remaining(db), quarantined(db)
    runs_before = db.execute("select count(*) from compliance.retention_runs").fetchone()[0]
    with caplog.at_level(logging.INFO, logger="tranquillite.compliance.daily"), connect(COMPLIANCE_CONN_ID) as conn:
        out = {r["source"]: r for r in daily.apply_retention(conn, TODAY, dry_run=True)}
    assert (remaining(db), quarantined(db)) == (before_raw, before_q)
    assert db.execute("select count(*) from compliance.retention_runs").fetchone()[0] == runs_before
    assert out["evenements_espace_public"]["raw"] == 2 and out["evenements_espace_public"]["dry_run"]
    preview = [r.getMessage() for r in caplog.records if "retention preview" in r.getMessage()]
    assert any("evenements_espace_public" in m and "2 raw" in m and "3 quarantined" in m for m in preview), preview


def test_the_preview_is_logged_before_anything_is_deleted(
    db: psycopg.Connection, aged: dict[str, int], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="tranquillite.compliance.daily"), connect(COMPLIANCE_CONN_ID) as conn:
        daily.apply_retention(conn, TODAY)
    messages = [r.getMessage() for r in caplog.records]
    first_preview = next(i for i, m in enumerate(messages) if "retention preview" in m)
    first_delete = next(i for i, m in enumerate(messages) if "deleted" in m)
    assert first_preview < first_delete
