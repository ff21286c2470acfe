"""The anonymisation and drift paths end to end through `cortege_ingest` and the DPO's DAG."""

from __future__ import annotations

import json
import os

import psycopg
import pytest

from tests.conftest import ROOT, Sandbox
from tests.e2e.helpers import make_dag
from tests.fixtures import entries as fx
from tranquillite.residue import find_residue
from tranquillite.sandbox import smtp_server

pytestmark = pytest.mark.slow


@pytest.fixture
def smtp():
    controller, handler = smtp_server.start(0)
    conn = {
        "conn_type": "smtp",
        "host": "127.0.0.1",
        "port": controller.port,
        "extra": {"disable_tls": True, "disable_ssl": True, "from_email": "plateforme@localhost"},
    }
    yield handler, json.dumps(conn)
    controller.stop()


def test_personal_data_never_lands_anywhere(db: psycopg.Connection, sandbox: Sandbox, smtp) -> None:
    secrets = {
        "phone": "06 71 82 93 04",
        "email": "samia.kaci@orange.fr",
        "name": "Samia Kaci",
        "nir": "2 85 03 13 055 123 61",
        "plate": "GH-482-KT",
    }
    leaky = [
        fx.march(description=f"Contact organisateur : {secrets['name']}, {secrets['phone']}."),
        fx.visit(objet=f"Visite, écrire à {secrets['email']}"),
        fx.operation(description=f"Véhicule {secrets['plate']} signalé, NIR {secrets['nir']}"),
        fx.gathering(contact=secrets["name"]),
    ]
    sandbox.replace(leaky + [fx.march()])
    env = dict(os.environ, AIRFLOW_CONN_CORTEGE=sandbox.conn_json, AIRFLOW_CONN_DPO_SMTP=smtp[1])
    output = make_dag("cortege_ingest", env)
    batch = db.execute("select received, loaded, quarantined from ops.ingest_batches").fetchone()
    assert batch == (5, 1, 4)
    needles = list(secrets.values()) + [secrets["phone"].replace(" ", ""), "Kaci"]
    assert find_residue(db, needles) == []  # warehouse tables, quarantine, ledger, governance
    for needle in needles:
        assert needle not in output, "a personal value reached the task log"
    for folder in (ROOT / ".local/gx", ROOT / ".local/airflow/logs"):
        for path in folder.rglob("*"):
            if path.is_file() and path.stat().st_size < 5_000_000:
                text = path.read_text(errors="ignore")
                assert not any(n in text for n in needles), f"a personal value in {path}"
    for message in smtp[0].messages:
        assert not any(n in message["text"] for n in needles)


def test_drift_is_held_notified_approved_and_replayed(db: psycopg.Connection, sandbox: Sandbox, smtp) -> None:
    db.execute("truncate governance.schema_changes, governance.schema_change_log cascade")
    new_field = fx.march(service_communication="Cellule presse de la préfecture")
    new_value = fx.gathering(statut_organisateur="collectif")
    sandbox.replace([new_field, new_value, fx.visit()])
    env = dict(os.environ, AIRFLOW_CONN_CORTEGE=sandbox.conn_json, AIRFLOW_CONN_DPO_SMTP=smtp[1])

    make_dag("cortege_ingest", env)
    held = dict(db.execute("select record_id, status from quarantine.records where reason_code = 'schema_drift'"))
    assert held == {new_field["id"]: "held", new_value["id"]: "held"}
    changes = dict(
        db.execute(
            "select signature, change_id from governance.schema_changes where status = 'pending'"
            " and notified_at is not null"
        )
    )
    field_sig = "field:manifestation_deambulatoire.service_communication"
    value_sig = "value:manifestation_statique.statut_organisateur=collectif"
    assert set(changes) == {field_sig, value_sig}
    mail = smtp[0].messages[-1]["text"]
    assert "schema_change_approval" in mail and "service_communication" in mail
    assert "Cellule presse" not in mail  # the change, never the record

    make_dag(
        "schema_change_approval",
        env,
        {
            "change_id": changes[field_sig],
            "decision": "approve",
            "decided_by": "DPO Ville",
            "impact_study_ref": "EIPD-2026-07",
        },
    )
    assert db.execute(
        "select payload->>'service_communication' from raw.cortege_entries where entry_id = %s", (new_field["id"],)
    ).fetchone() == ("Cellule presse de la préfecture",)
    status = dict(db.execute("select record_id, status from quarantine.records where reason_code = 'schema_drift'"))
    assert status == {new_field["id"]: "replayed", new_value["id"]: "held"}
    log = db.execute(
        "select event from governance.schema_change_log where change_id = %s order by log_id", (changes[field_sig],)
    ).fetchall()
    assert [e for (e,) in log] == ["detected", "dpo_notified", "approved"]

    # from now on, the approved field loads directly; the unapproved value is still held
    sandbox.replace([fx.march(service_communication="Cellule presse"), fx.gathering(statut_organisateur="collectif")])
    make_dag("cortege_ingest", env, {"full_refresh": True})
    last = db.execute("select loaded, quarantined from ops.ingest_batches order by started_at desc limit 1")
    assert last.fetchone() == (1, 1)
