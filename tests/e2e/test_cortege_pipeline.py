"""The whole flow through real Airflow: `make dag DAG=cortege_ingest`, then warehouse_build.

The Cortège connection points at a sandbox started by the test, standing for
"another server that implements the contract"; the warehouse is the test database.
"""

from __future__ import annotations

import json

import psycopg
import pytest

from tests.conftest import ROOT, Sandbox
from tests.e2e import helpers
from tests.fixtures import entries as fx

pytestmark = pytest.mark.slow


def make_dag(dag_id: str, sandbox: Sandbox, conf: dict | None = None) -> str:
    return helpers.make_dag(dag_id, {"AIRFLOW_CONN_CORTEGE": sandbox.conn_json}, conf)


def asset_events(name: str) -> int:
    """Asset events in the session's own Airflow database (never a developer's)."""
    from tranquillite.compliance.purge import metadata_dsn

    with psycopg.connect(metadata_dsn()) as conn:
        return conn.execute(
            "select count(*) from asset_event e join asset a on a.id = e.asset_id where a.name = %s", (name,)
        ).fetchone()[0]


@pytest.fixture
def served(db: psycopg.Connection, sandbox: Sandbox, generated_histories: list[list[dict]]) -> dict:
    """60 generated entries plus the malformed set, served by the sandbox."""
    bad = fx.malformed_set()
    sandbox.upsert(list(bad.values()))
    latest = [v[-1] for v in generated_histories]
    return {"good": latest, "bad": bad}


def test_cortege_to_marts_through_airflow(db: psycopg.Connection, sandbox: Sandbox, served: dict) -> None:
    good, bad = served["good"], served["bad"]
    events_before = asset_events("raw.cortege_entries")

    make_dag("cortege_ingest", sandbox)
    batch = db.execute(
        "select status, received, loaded, new_rows, quarantined, dag_id from ops.ingest_batches"
    ).fetchall()
    assert batch == [("succeeded", len(good) + len(bad), len(good), len(good), len(bad), "cortege_ingest")]
    reasons = dict(db.execute("select record_id, reason_code from quarantine.records").fetchall())
    assert {reasons[e["id"]] for e in bad.values()} == set(bad)
    assert asset_events("raw.cortege_entries") == events_before + 1

    manifest = ROOT / "dbt_project/target/manifest.json"
    rendered_from = manifest.read_bytes()
    make_dag("warehouse_build", sandbox)
    # the tasks' dbt runs never write into the manifest the DAG renders from
    assert manifest.read_bytes() == rendered_from
    ids, distinct, cancelled = db.execute(
        "select count(*), count(distinct source_record_id), count(*) filter (where is_cancelled) from marts.fct_events"
    ).fetchone()
    assert ids == distinct == len(good)
    assert cancelled == sum(e["etat"] == "annulee" for e in good)
    versions = dict(db.execute("select source_record_id, source_version from marts.fct_events").fetchall())
    assert versions == {e["id"]: e["version"] for e in good}
    assert (ROOT / ".local/dbt/docs/index.html").exists()
    # lineage: Cosmos tells which dataset each model task read and wrote
    events = [json.loads(line) for line in (ROOT / ".local/lineage/events.jsonl").read_text().splitlines()]
    fct = [
        e
        for e in events
        if e["job"]["name"] == "warehouse_build.dbt.fct_events_model_build" and e["eventType"] == "COMPLETE"
    ]
    assert fct and any(o["name"].endswith("marts.fct_events") for o in fct[-1]["outputs"])
    assert any(i["name"].endswith("intermediate.int_events_unioned") for i in fct[-1]["inputs"])

    # a second run loads nothing twice and does not announce new data
    make_dag("cortege_ingest", sandbox)
    last = db.execute("select status, new_rows from ops.ingest_batches order by started_at desc limit 1").fetchone()
    assert last == ("succeeded", 0)
    assert db.execute("select count(*) from raw.cortege_entries").fetchone()[0] == len(good)
    assert asset_events("raw.cortege_entries") == events_before + 1


def test_backfill_param_adds_no_duplicates(db: psycopg.Connection, sandbox: Sandbox, served: dict) -> None:
    make_dag("cortege_ingest", sandbox)
    make_dag("cortege_ingest", sandbox, {"updated_since": "2020-01-01T00:00:00Z"})
    rows = db.execute(
        "select requested_since, received, new_rows from ops.ingest_batches order by started_at"
    ).fetchall()
    assert rows[1][0].year == 2020 and rows[1][1] == rows[0][1] and rows[1][2] == 0
    assert db.execute("select count(*) from raw.cortege_entries").fetchone()[0] == len(served["good"])


def test_a_refused_token_fails_the_run_without_retrying(db: psycopg.Connection, sandbox: Sandbox) -> None:
    result = helpers.run_dag(
        "cortege_ingest", {"AIRFLOW_CONN_CORTEGE": sandbox.conn_json.replace(sandbox.token, "revoked")}
    )
    output = result.stdout + result.stderr
    assert "state=failed" in output
    assert "refused the token" in output and "revoked" not in output
    assert db.execute("select status from ops.ingest_batches").fetchall() == [("failed",)]
