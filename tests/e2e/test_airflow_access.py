"""Airflow's roles through its real REST API (FAB auth manager, api-server on loopback).

The DAGs are serialized into the metadata DB, the roles and every DAG's
access_control are synced as `make up` does, users are made with the project's
own command, and each one asks the API for a token and tries what its role allows.
"""

from __future__ import annotations

import psycopg
import pytest
import requests

from tests.e2e.helpers import api_session as _session
from tests.e2e.helpers import start_dag, wait_for_hitl

pytestmark = pytest.mark.slow


def _trigger(session: requests.Session, api: dict, dag_id: str, conf: dict | None = None) -> requests.Response:
    return session.post(
        f"{api['base']}/api/v2/dags/{dag_id}/dagRuns", json={"logical_date": None, "conf": conf or {}}, timeout=30
    )


def _delete_run(session: requests.Session, api: dict, dag_id: str, run_id: str) -> None:
    resp = session.delete(f"{api['base']}/api/v2/dags/{dag_id}/dagRuns/{run_id}", timeout=30)
    assert resp.status_code == 204, resp.text


PURGE_CONF = {"convention_id": "PP13-BDTP-2019", "confirm_convention_id": "PP13-BDTP-2019", "reason": "access test"}


def test_compliance_officer_reaches_only_the_compliance_dags(api: dict) -> None:
    officer, engineer = _session(api, "officer"), _session(api, "engineer")
    assert _trigger(officer, api, "warehouse_build").status_code == 403
    assert _trigger(officer, api, "cortege_ingest").status_code == 403
    resp = _trigger(officer, api, "convention_purge", PURGE_CONF)
    assert resp.status_code == 200, resp.text
    run_id = resp.json()["dag_run_id"]
    # the officer sees its run, and only its DAGs in the list
    assert officer.get(f"{api['base']}/api/v2/dags/convention_purge/dagRuns/{run_id}", timeout=30).status_code == 200
    listed = {d["dag_id"] for d in officer.get(f"{api['base']}/api/v2/dags?limit=100", timeout=30).json()["dags"]}
    assert "convention_purge" in listed and "habilitation_grant" in listed
    assert not listed & {"warehouse_build", "cortege_ingest", "schema_change_approval"}
    assert officer.get(f"{api['base']}/api/v2/dags/warehouse_build", timeout=30).status_code == 403
    # an officer administers nobody
    assert officer.get(f"{api['base']}/auth/fab/v1/users", timeout=30).status_code == 403
    _delete_run(engineer, api, "convention_purge", run_id)


def test_data_engineer_runs_every_dag_but_administers_no_user(api: dict) -> None:
    engineer = _session(api, "engineer")
    resp = _trigger(engineer, api, "warehouse_build")
    assert resp.status_code == 200, resp.text
    _delete_run(engineer, api, "warehouse_build", resp.json()["dag_run_id"])
    assert engineer.get(f"{api['base']}/auth/fab/v1/users", timeout=30).status_code == 403
    assert engineer.get(f"{api['base']}/api/v2/connections", timeout=30).status_code == 200


def test_dpo_and_viewer(api: dict) -> None:
    dpo, viewer = _session(api, "dpo"), _session(api, "viewer")
    listed = {d["dag_id"] for d in dpo.get(f"{api['base']}/api/v2/dags?limit=100", timeout=30).json()["dags"]}
    assert listed == {"schema_change_approval"}
    assert _trigger(dpo, api, "convention_purge", PURGE_CONF).status_code == 403
    # a viewer reads every DAG and triggers none
    assert viewer.get(f"{api['base']}/api/v2/dags/warehouse_build", timeout=30).status_code == 200
    assert _trigger(viewer, api, "convention_purge", PURGE_CONF).status_code == 403


def test_a_wrong_password_gets_no_token(api: dict) -> None:
    resp = requests.post(
        f"{api['base']}/auth/token", json={"username": api["users"]["officer"], "password": "wrong"}, timeout=30
    )
    assert resp.status_code == 401


def test_the_purge_approval_is_answered_through_the_api_by_an_assigned_officer(api: dict, warehouse_url: str) -> None:
    """The purge's HITL step, parked in a real run: only the officers it names may answer;
    a rejection ends the run and deletes nothing."""
    officers = f"{api['users']['officer']},{api['users']['officer2']}"
    run = start_dag("convention_purge", {"TRQ_COMPLIANCE_OFFICERS": officers}, PURGE_CONF)
    officer, engineer, viewer = _session(api, "officer2"), _session(api, "engineer"), _session(api, "viewer")
    try:
        url = wait_for_hitl(officer, api, "convention_purge", "approve", run)
        waiting = url.split("/dagRuns/")[1].split("/")[0]
        body = officer.get(url, timeout=30).json()["body"]
        assert "| what | rows or files |" in body, "the officers see the dry run's counts before deciding"
        answer = {"chosen_options": ["Reject"], "params_input": {}}
        # a viewer may not answer; a data engineer is not one of the officers it names
        assert viewer.patch(url, json=answer, timeout=30).status_code == 403
        assert engineer.patch(url, json=answer, timeout=30).status_code == 403
        resp = officer.patch(url, json=answer, timeout=30)
        assert resp.status_code == 200, resp.text
        assert resp.json()["responded_by"]["name"] == api["users"]["officer2"]
        output, _ = run.communicate(timeout=300)
        # rejected: nothing after the approval runs, the request is closed as rejected
        assert "state=success" in output, output[-3000:]
        for task_id in ("record_approval", "destroy", "certify"):
            assert f"[DAG TEST] end task task_id={task_id}" not in output, task_id
        with psycopg.connect(warehouse_url) as conn:
            status = conn.execute(
                "select status from compliance.purge_requests where dag_run_id = %s", (waiting,)
            ).fetchone()
            assert status == ("rejected",)
            agreement = conn.execute(
                "select status from compliance.conventions where convention_id = %s", (PURGE_CONF["convention_id"],)
            ).fetchone()
            assert agreement == ("active",)
    finally:
        if run.poll() is None:
            run.kill()
