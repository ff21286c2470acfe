"""A silent source raises one alert per episode, during working hours only."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from tranquillite.ingestion.freshness import WorkingHours, check_silence

HOURS = WorkingHours.parse("mon-fri 08:00-19:00")
THRESHOLD = timedelta(hours=4)
# Tuesday 17 March 2026, 15:00 in Marseille (14:00 UTC)
TUESDAY_AFTERNOON = datetime(2026, 3, 17, 14, 0, tzinfo=UTC)


def test_working_hours() -> None:
    assert HOURS.contains(TUESDAY_AFTERNOON)
    assert not HOURS.contains(datetime(2026, 3, 17, 18, 30, tzinfo=UTC))  # 19:30 in Paris
    assert not HOURS.contains(datetime(2026, 3, 21, 10, 0, tzinfo=UTC))  # Saturday
    assert WorkingHours.parse("sat-mon 10:00-12:00").days == frozenset({5, 6, 0})
    with pytest.raises(ValueError):
        WorkingHours.parse("weekdays")


def land(db: psycopg.Connection, finished: datetime, new_rows: int = 3) -> None:
    db.execute(
        "insert into ops.ingest_batches (batch_id, source, started_at, finished_at, status, received, loaded,"
        " new_rows) values (%s, 'cortege', %s, %s, 'succeeded', %s, %s, %s)",
        (uuid.uuid4(), finished - timedelta(seconds=5), finished, new_rows, new_rows, new_rows),
    )


@pytest.fixture
def ops(db: psycopg.Connection) -> psycopg.Connection:
    db.execute("truncate ops.alerts")
    return db


def test_silence_alerts_once_then_resolves(ops: psycopg.Connection) -> None:
    land(ops, TUESDAY_AFTERNOON - timedelta(hours=5))
    land(ops, TUESDAY_AFTERNOON - timedelta(hours=1), new_rows=0)  # pulls that found nothing new
    first = check_silence(ops, "cortege", TUESDAY_AFTERNOON, HOURS, THRESHOLD)
    assert first["silent"] and first["alert"] and first["silent_minutes"] == 300
    again = check_silence(ops, "cortege", TUESDAY_AFTERNOON + timedelta(minutes=30), HOURS, THRESHOLD)
    assert again["silent"] and not again["alert"]  # same episode, no second alert
    land(ops, TUESDAY_AFTERNOON + timedelta(minutes=40))
    check_silence(ops, "cortege", TUESDAY_AFTERNOON + timedelta(minutes=45), HOURS, THRESHOLD)
    assert ops.execute("select count(*) from ops.alerts where resolved_at is null").fetchone()[0] == 0


def test_no_alert_outside_working_hours_or_when_fresh(ops: psycopg.Connection) -> None:
    land(ops, TUESDAY_AFTERNOON - timedelta(hours=1))
    assert not check_silence(ops, "cortege", TUESDAY_AFTERNOON, HOURS, THRESHOLD)["silent"]
    saturday = datetime(2026, 3, 21, 10, 0, tzinfo=UTC)
    assert not check_silence(ops, "cortege", saturday, HOURS, THRESHOLD)["silent"]


def test_a_feed_is_watched_on_its_own_terms(ops: psycopg.Connection) -> None:
    from tranquillite.ingestion.freshness import feed_watches

    watches = {source: (measure, threshold) for source, measure, threshold in feed_watches()}
    assert watches["interventions_police_municipale"] == ("delivery", timedelta(hours=30))
    assert watches["travaux_voirie"] == ("success", timedelta(hours=30))
    # pulls that succeed but bring no police file: the daily file is missing
    for hours_ago in (40, 2):
        ops.execute(
            "insert into ops.ingest_batches (batch_id, source, started_at, finished_at, status)"
            " values (%s, 'interventions_police_municipale', %s, %s, 'succeeded')",
            (
                uuid.uuid4(),
                TUESDAY_AFTERNOON - timedelta(hours=hours_ago),
                TUESDAY_AFTERNOON - timedelta(hours=hours_ago),
            ),
        )
    ops.execute(
        "insert into ops.feed_deliveries (source, delivery, delivered_at, content_sha256, batch_id, records,"
        " convention_id) values ('interventions_police_municipale', 'interventions_20260316.csv', %s, 'x', %s, 1, 'c')",
        (TUESDAY_AFTERNOON - timedelta(hours=40), uuid.uuid4()),
    )
    police = check_silence(
        ops, "interventions_police_municipale", TUESDAY_AFTERNOON, HOURS, timedelta(hours=30), "delivery"
    )
    assert police["alert"] and "no file delivered since" in police["detail"]
    works = check_silence(
        ops, "interventions_police_municipale", TUESDAY_AFTERNOON, HOURS, timedelta(hours=30), "success"
    )
    assert not works["silent"]  # the pulls themselves run: it is the file that is missing


def test_quarantine_share_alert() -> None:
    from tranquillite.ingestion.checks import quarantine_share_alert

    assert quarantine_share_alert({"batch_id": "b", "received": 100, "quarantined": 30}) is not None
    assert quarantine_share_alert({"batch_id": "b", "received": 100, "quarantined": 10}) is None
    assert quarantine_share_alert({"batch_id": "b", "received": 5, "quarantined": 5}) is None
