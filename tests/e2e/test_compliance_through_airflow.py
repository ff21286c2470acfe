"""The daily compliance DAG through Airflow (issue 18, fault 3): a date typed in `as_of`
previews that day and changes nothing."""

from __future__ import annotations

import json
import uuid

import psycopg
import pytest

from tests.e2e.helpers import make_dag

pytestmark = pytest.mark.slow


def _state(db: psycopg.Connection) -> dict:
    def rows(query: str) -> list:
        return db.execute(query).fetchall()

    return {
        "conventions": rows("select convention_id, status from compliance.conventions order by 1"),
        "log": rows("select event, convention_id from compliance.convention_log order by 1, 2"),
        "purges": rows("select purge_id from compliance.purge_requests"),
        "notifications": rows("select convention_id, kind from compliance.notifications"),
        "retention_runs": rows("select run_id from compliance.retention_runs"),
        "raw": rows("select source, record_id from raw.feed_records order by 1, 2"),
        "quarantine": rows("select quarantine_id from quarantine.records order by 1"),
    }


def test_an_as_of_far_in_the_future_is_a_dry_run(db: psycopg.Connection) -> None:
    db.execute("select raw.ensure_agreement_partition('feed_records', 'LO2-OPENDATA-VDM')")
    db.execute(
        "insert into raw.feed_records (convention_id, source, record_id, payload_sha256, payload, batch_id,"
        " received_at, last_seen_at) values ('LO2-OPENDATA-VDM', 'evenements_espace_public', 'e1', 'sha',"
        " %s, %s, now() - interval '2 days', now() - interval '2 days')",
        (json.dumps({"id_evenement": "e1", "date_fin": "2026-12-31"}), uuid.uuid4()),
    )
    db.execute(
        "insert into quarantine.records (source, record_id, reason_code, reason_detail, payload_sha256,"
        " convention_id, batch_id, received_at) values ('evenements_espace_public', 'q1', 'schema_violation',"
        " 'd', 'sha-q', 'LO2-OPENDATA-VDM', %s, now() - interval '2 days')",
        (uuid.uuid4(),),
    )
    before = _state(db)
    assert any(status == "active" for _, status in before["conventions"])

    output = make_dag("convention_compliance", conf={"as_of": "2100-01-01"})

    assert _state(db) == before, "a dry run changed the warehouse"
    assert "would be closed" in output and "retention preview (dry run)" in output
    assert "would be started" in output, "the purges it would start are named"
