"""The anonymisation and drift paths end to end through `cortege_ingest` and the DPO's DAG."""

from __future__ import annotations

import json
import os

import psycopg
import pytest

from sandbox import smtp_server
from tests.conftest import ROOT, MunicipalSandbox, Sandbox
from tests.e2e.helpers import answer, api_session, make_dag, start_dag, wait_for_hitl
from tests.fixtures import entries as fx
from tranquillite.compliance.residue import find_residue

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


def test_masked_events_reach_the_marts_and_the_values_nothing_else(
    db: psycopg.Connection, sandbox: Sandbox, municipal: MunicipalSandbox, smtp
) -> None:
    """An entry and a feed record with personal data in their text, pulled from the sandboxes
    by the real DAGs, reach marts.fct_events masked; none of the planted values is in any
    table, file, log or mail; the DPO gets the day's counts."""
    from sandbox import feeds_generator as gen

    secrets = {
        "phone": "06 71 82 93 04",
        "email": "samia.kaci@orange.fr",
        "name": "Samia Kaci",
        "nir": "2 85 03 13 055 123 61",
        "plate": "GH-482-KT",
        "feed_name": "Lucien Ferrandi",
        "feed_phone": "07 61 44 20 18",
    }
    march = fx.march(description=f"Contact organisateur : {secrets['name']}, {secrets['phone']}.")
    visit = fx.visit(objet=f"Visite, écrire à {secrets['email']}")
    operation = fx.operation(description=f"Véhicule {secrets['plate']} signalé, NIR {secrets['nir']}")
    drifted = fx.gathering(contact=secrets["name"])
    sandbox.replace([march, visit, operation, drifted, fx.march()])
    records = gen.ods_records(60)
    leaky_feed = {**records[0], "titre": f"Fête de quartier, contact M. {secrets['feed_name']} {secrets['feed_phone']}"}
    municipal.post("/_sandbox/records", {"records": [leaky_feed, *records[1:]]})
    env = dict(os.environ, AIRFLOW_CONN_CORTEGE=sandbox.conn_json, AIRFLOW_CONN_DPO_SMTP=smtp[1])

    output = make_dag("cortege_ingest", env)
    output += make_dag("evenements_espace_public_ingest", env)
    output += make_dag("warehouse_build", env)
    output += make_dag("convention_compliance", env)

    batches = {
        r[0]: r[1:] for r in db.execute("select source, received, loaded, quarantined, masked from ops.ingest_batches")
    }
    assert batches["cortege"] == (5, 4, 1, 3)  # the drifting one is held for the DPO, masked too
    assert batches["evenements_espace_public"][3] == 1
    events = dict(
        db.execute(
            "select source_record_id, coalesce(title, '') || ' | ' || coalesce(description, '') from marts.fct_events"
        ).fetchall()
    )
    assert "Contact organisateur : [PERSONNE], [TÉLÉPHONE]." in events[march["id"]]
    assert "Visite, écrire à [COURRIEL]" in events[visit["id"]]
    assert "Véhicule [PLAQUE] signalé, NIR [NIR]" in events[operation["id"]]
    assert "contact M. [PERSONNE] [TÉLÉPHONE]" in events[str(leaky_feed["id_evenement"])]

    needles = [*secrets.values(), secrets["phone"].replace(" ", ""), "Kaci", "Ferrandi"]
    assert find_residue(db, needles) == []  # warehouse tables, quarantine, ledger, governance, marts
    for needle in needles:
        assert needle not in output, "a personal value reached a task's output"
    for folder in (ROOT / ".local/gx", ROOT / ".local/airflow/logs", ROOT / ".local/mail", ROOT / "dbt_project/target"):
        for path in folder.rglob("*") if folder.exists() else ():
            if path.is_file() and path.stat().st_size < 5_000_000:
                text = path.read_text(errors="ignore")
                assert not any(n in text for n in needles), f"a personal value in {path}"
    for message in smtp[0].messages:
        assert not any(n in message["text"] for n in needles)
    notice = [m["text"] for m in smtp[0].messages if "masqu" in m["text"]]
    assert len(notice) == 1 and "cortege" in notice[0] and "evenements_espace_public" in notice[0]


def test_drift_is_held_notified_approved_and_replayed(db: psycopg.Connection, sandbox: Sandbox, smtp, api) -> None:
    db.execute("truncate governance.schema_changes, governance.schema_change_log cascade")
    dpo_login = api["users"]["dpo"]
    db.execute("insert into governance.dpo_users (login) values (%s) on conflict do nothing", (dpo_login,))
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
    # the ingestion asked the DPO: one decision run per change, waiting for the scheduler
    engineer = api_session(api, "engineer")
    for change_id in changes.values():
        asked = engineer.get(
            f"{api['base']}/api/v2/dags/schema_change_approval/dagRuns/schema_change__{change_id}", timeout=30
        )
        assert asked.status_code == 200 and asked.json()["conf"]["change_id"] == change_id, asked.text

    # the DPO decides in Airflow's Required actions, as the login Airflow authenticated
    run = start_dag("schema_change_approval", {**env, "TRQ_DPO_USERS": dpo_login}, {"change_id": changes[field_sig]})
    try:
        dpo = api_session(api, "dpo")
        url = wait_for_hitl(dpo, api, "schema_change_approval", "decide", run)
        given = {"chosen_options": ["Approve"], "params_input": {"impact_study_ref": "EIPD-2026-07", "comment": ""}}
        answer(run, url, given, by=dpo, refused=(engineer,))
    finally:
        if run.poll() is None:
            run.kill()
    decided = db.execute(
        "select status, decided_by from governance.schema_changes where change_id = %s", (changes[field_sig],)
    )
    assert decided.fetchone() == ("approved", dpo_login)
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


def test_a_feeds_drift_reaches_the_dpo_and_is_replayed_like_corteges(
    db: psycopg.Connection, municipal: MunicipalSandbox, smtp, api
) -> None:
    """A field the open-data schema does not know is held by the feed's own DAG, which tells
    the DPO and starts the decision run; the DPO's approval replays the record into raw and
    announces the feed's Asset (through the replay's alias), which triggers the build."""
    from sandbox import feeds_generator as gen

    db.execute("truncate governance.schema_changes, governance.schema_change_log cascade")
    dpo_login = api["users"]["dpo"]
    db.execute("insert into governance.dpo_users (login) values (%s) on conflict do nothing", (dpo_login,))
    records = gen.ods_records(20)
    drifted = {**records[3], "acces_pmr": "rampe côté quai"}
    municipal.post("/_sandbox/records", {"records": [*records[:3], drifted, *records[4:]]})
    env = dict(os.environ, AIRFLOW_CONN_DPO_SMTP=smtp[1], TRQ_DPO_USERS=dpo_login)

    make_dag("evenements_espace_public_ingest", env)
    signature = "field:evenements_espace_public.acces_pmr"
    change_id, notified = db.execute(
        "select change_id, notified_at is not null from governance.schema_changes where signature = %s", (signature,)
    ).fetchone()
    assert notified
    assert "acces_pmr" in smtp[0].messages[-1]["text"] and "rampe" not in smtp[0].messages[-1]["text"]
    engineer = api_session(api, "engineer")
    asked = engineer.get(
        f"{api['base']}/api/v2/dags/schema_change_approval/dagRuns/schema_change__{change_id}", timeout=30
    )
    assert asked.status_code == 200 and asked.json()["conf"]["change_id"] == change_id, asked.text

    run = start_dag("schema_change_approval", env, {"change_id": change_id})
    try:
        dpo = api_session(api, "dpo")
        url = wait_for_hitl(dpo, api, "schema_change_approval", "decide", run)
        given = {"chosen_options": ["Approve"], "params_input": {"impact_study_ref": "EIPD-2026-11", "comment": ""}}
        answer(run, url, given, by=dpo)
    finally:
        if run.poll() is None:
            run.kill()
    landed = db.execute(
        "select payload->>'acces_pmr' from raw.feed_records where record_id = %s", (str(drifted["id_evenement"]),)
    ).fetchone()
    assert landed == ("rampe côté quai",)
    assert db.execute("select status from quarantine.records where reason_code = 'schema_drift'").fetchall() == [
        ("replayed",)
    ]
    events = engineer.get(
        f"{api['base']}/api/v2/assets/events", params={"source_dag_id": "schema_change_approval"}, timeout=30
    ).json()["asset_events"]
    # the feed's Asset, not Cortège's: no other test replays a feed
    assert "raw.feed_records.evenements_espace_public" in {e["name"] for e in events}
