"""The generated feed DAGs through real Airflow (`make dag`), against the municipal sandbox
standing for the City's servers: the batch lands, and the feed's Asset is announced only
when something changed."""

from __future__ import annotations

import json

import psycopg
import pytest

from tests.conftest import MunicipalSandbox
from tests.e2e import helpers
from tests.e2e.test_cortege_pipeline import asset_events

pytestmark = pytest.mark.slow


def test_road_works_dag_then_nothing_new(db: psycopg.Connection, municipal: MunicipalSandbox) -> None:
    env = {"AIRFLOW_CONN_TRAVAUX_VOIRIE": json.dumps({"conn_type": "http", "host": municipal.url})}
    before = asset_events("raw.feed_records.travaux_voirie")

    helpers.make_dag("travaux_voirie_ingest", env)
    row = db.execute("select dag_id, status, received, loaded, quarantined from ops.ingest_batches").fetchone()
    assert row[:2] == ("travaux_voirie_ingest", "succeeded") and row[2] == row[3] + row[4] > 0
    assert asset_events("raw.feed_records.travaux_voirie") == before + 1

    output = helpers.make_dag("travaux_voirie_ingest", env)  # 304: nothing to do
    assert "unchanged since the last delivery (304)" in output
    assert asset_events("raw.feed_records.travaux_voirie") == before + 1


def test_police_files_dag_with_a_params_form_full_refresh(db: psycopg.Connection, municipal: MunicipalSandbox) -> None:
    from datetime import date

    from sandbox.municipal_server import write_pm_files

    write_pm_files(municipal.folder, [date(2026, 11, 2), date(2026, 11, 3)], per_day=15)
    env = {"AIRFLOW_CONN_PM_LANDING": json.dumps({"conn_type": "fs", "extra": {"path": str(municipal.folder)}})}
    helpers.make_dag("interventions_police_municipale_ingest", env)
    helpers.make_dag("interventions_police_municipale_ingest", env, {"full_refresh": True})
    batches = db.execute("select received, new_rows from ops.ingest_batches order by started_at").fetchall()
    # the second run read both files again and added nothing: the same contents are held once
    assert batches == [(30, 30), (30, 0)]
    assert db.execute("select count(*) from raw.feed_records").fetchone()[0] == 30
