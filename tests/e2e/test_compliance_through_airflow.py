"""The daily compliance DAG through Airflow (issue 18): a date typed in `as_of` previews
that day and changes nothing (fault 3); the real retention pass, forty days after the feeds
last sent anything, keeps every current event and every held record (faults 1 and 2)."""

from __future__ import annotations

import json
import uuid
from datetime import date, timedelta

import psycopg
import pytest

from tests.conftest import MunicipalSandbox
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


# `sandbox` (an in-process Cortège on its own port, in AIRFLOW_CONN_CORTEGE): `make dag` then
# has no shared sandbox to start, whose fixed ports another test (the benchmark) may hold
@pytest.mark.usefixtures("sandbox")
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


@pytest.fixture
def open_data_records() -> list[dict]:
    """Events from 40 days ago to 20 days ahead: some end before the 30-day retention, most after."""
    from sandbox import feeds_generator as gen

    return gen.ods_records(60, start=date.today() - timedelta(days=40))


@pytest.mark.usefixtures("sandbox")
def test_retention_forty_days_on_keeps_current_events_and_held_records(
    db: psycopg.Connection, municipal: MunicipalSandbox
) -> None:
    """The feeds land through their DAGs, then nothing is sent again for 40 days (the data are
    aged, the clock is not): the real daily pass deletes only what ended before the retention
    and what waits for no decision; the rebuilt marts still show every current event."""
    for dag_id in ("evenements_espace_public_ingest", "travaux_voirie_ingest"):
        make_dag(dag_id)
    # one record held for a change the DPO has not decided, one quarantined for good
    signature = "field:evenements.champ_retenu"
    db.execute("delete from governance.schema_changes where signature = %s", (signature,))
    db.execute(
        "insert into governance.schema_changes (source, signature) values ('evenements_espace_public', %s)",
        (signature,),
    )
    for rid, code, signatures in (("held", "schema_drift", [signature]), ("stale", "schema_violation", [])):
        db.execute(
            "insert into quarantine.records (source, record_id, reason_code, reason_detail, payload_sha256,"
            " convention_id, batch_id, received_at, drift_signatures) values ('evenements_espace_public', %s, %s,"
            " 'd', %s, 'LO2-OPENDATA-VDM', %s, now() - interval '50 days', %s)",
            (rid, code, f"sha-{rid}", uuid.uuid4(), signatures),
        )
    # forty days without the sources sending anything again
    for table, columns in (
        ("raw.feed_records", ("received_at", "last_seen_at")),
        ("ops.feed_deliveries", ("delivered_at",)),
    ):
        moved = ", ".join(f"{c} = {c} - interval '40 days'" for c in columns)
        db.execute(f"update {table} set {moved}")  # noqa: S608 (fixed names)
    cutoff = date.today() - timedelta(days=30)
    ends = dict(
        db.execute(
            "select record_id, left(payload->>'date_fin', 10)::date from raw.feed_records"
            " where source = 'evenements_espace_public'"
        ).fetchall()
    )
    current = {rid for rid, end in ends.items() if end >= cutoff}
    past = set(ends) - current
    assert current and past, "the sandbox serves both kinds"

    output = make_dag("convention_compliance")
    assert "retention preview: evenements_espace_public would lose" in output
    make_dag("warehouse_build")

    kept = {
        r[0] for r in db.execute("select record_id from raw.feed_records where source = 'evenements_espace_public'")
    }
    assert kept == current, "only the events that ended before the retention left raw"
    shown = {
        r[0]
        for r in db.execute("select source_record_id from marts.fct_events where source = 'evenements_espace_public'")
    }
    assert current <= shown and not (past & shown), "every current event is still on the map, no past one"
    left = {
        r[0] for r in db.execute("select record_id from quarantine.records where source = 'evenements_espace_public'")
    }
    assert "held" in left and "stale" not in left, "held for the DPO stays; the rest goes past its retention"
    deleted = db.execute(
        "select raw_deleted, quarantine_deleted from compliance.retention_runs"
        " where source = 'evenements_espace_public' order by run_id desc limit 1"
    ).fetchone()
    assert deleted == (len(past), 1)
    db.execute("delete from governance.schema_changes where signature = %s", (signature,))
