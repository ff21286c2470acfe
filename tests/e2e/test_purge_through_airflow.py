"""The purge of a feed agreement through the running stack (issue 18): the real DAGs pull
the open-data feeds, `convention_purge` waits for two real officers who answer through
Airflow's REST API (the first refused at the second step, a viewer refused at both), the
destruction's first attempt fails and Airflow retries it, and the destruction reaches the
feeds' own task logs and XComs before the certificate says verified, against the samples
taken before anything was destroyed."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest

from tests.conftest import MunicipalSandbox
from tests.e2e.helpers import api_session, make_dag, start_dag, wait_for_hitl, wait_for_state
from tests.fixtures.compliance import clear_purges

pytestmark = pytest.mark.slow
OPEN_DATA = "LO2-OPENDATA-VDM"
FEED_DAGS = ("evenements_espace_public_ingest", "travaux_voirie_ingest")


@pytest.fixture
def agreements_restored(db: psycopg.Connection):
    yield
    clear_purges(db)


def _xcoms(dag_ids: tuple[str, ...]) -> int:
    from tranquillite.compliance.purge import metadata_dsn

    with psycopg.connect(metadata_dsn()) as meta:
        return meta.execute("select count(*) from xcom where dag_id = any(%s)", (list(dag_ids),)).fetchone()[0]


def test_two_officers_approve_through_the_api_and_the_feed_agreement_is_destroyed(
    db: psycopg.Connection,
    municipal: MunicipalSandbox,
    api: dict,
    tmp_path: Path,
    agreements_restored,
    warehouse_url: str,
) -> None:
    logs = tmp_path / "airflow-logs"
    env = {
        "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(logs),
        "TRQ_RUN_LOG_DIR": str(tmp_path / "run-logs"),
        "TRQ_CERTIFICATE_DIR": str(tmp_path / "certificates"),
        "TRQ_MAP_DIR": str(tmp_path / "map"),
        "TRQ_COMPLIANCE_OFFICERS": f"{api['users']['officer']},{api['users']['officer2']}",
    }
    for login in (api["users"]["officer"], api["users"]["officer2"]):
        db.execute("insert into compliance.officers (login) values (%s) on conflict do nothing", (login,))
    for dag_id in FEED_DAGS:
        make_dag(dag_id, env)
    held = db.execute("select count(*) from raw.feed_records where convention_id = %s", (OPEN_DATA,)).fetchone()[0]
    assert held > 0
    assert _xcoms(FEED_DAGS) > 0
    # `airflow dags test` keeps no task log: the ones a scheduler writes, and make run's output
    for dag_id in FEED_DAGS:
        folder = logs / f"dag_id={dag_id}" / "run_id=scheduled__1" / "task_id=pull_and_land"
        folder.mkdir(parents=True)
        (folder / "attempt=1.log").write_text("counts only\n")
    (tmp_path / "run-logs").mkdir()
    (tmp_path / "run-logs" / f"run-{FEED_DAGS[0]}.log").write_text("counts only\n")

    conf = {"convention_id": OPEN_DATA, "confirm_convention_id": OPEN_DATA, "reason": "fin de la licence ouverte"}
    run = start_dag("convention_purge", env, conf)
    first, second, viewer = (api_session(api, who) for who in ("officer2", "officer", "viewer"))
    approve = {"chosen_options": ["Approve"], "params_input": {}}
    try:
        url = wait_for_hitl(first, api, "convention_purge", "approve", run)
        body = first.get(url, timeout=30).json()["body"]
        assert "| `raw.feed_records` |" in body, "the preview counts the agreement's rows"
        assert viewer.patch(url, json=approve, timeout=30).status_code == 403
        assert first.patch(url, json=approve, timeout=30).status_code == 200
        url = wait_for_hitl(second, api, "convention_purge", "approve_second", run)
        assert first.patch(url, json=approve, timeout=30).status_code == 403, "the first approver cannot approve twice"
        # a failure in the destruction: a reader holds the agreement's table, the first attempt
        # gives up on its lock and rolls back; Airflow retries once the reader has gone
        with psycopg.connect(warehouse_url) as reader:
            reader.execute("lock table raw.feed_records in access share mode")
            resp = second.patch(url, json=approve, timeout=30)
            assert resp.status_code == 200, resp.text
            destroy = url.split("/taskInstances/")[0] + "/taskInstances/destroy"
            wait_for_state(second, destroy, "up_for_retry", run)
        released = datetime.now(UTC)
        output, _ = run.communicate(timeout=900)
    finally:
        if run.poll() is None:
            run.kill()
    assert run.returncode == 0 and "state=success" in output, output[-4000:]
    assert second.get(destroy, timeout=30).json()["try_number"] == 2

    status, approved_by = db.execute(
        "select status, approved_by from compliance.purge_requests where convention_id = %s", (OPEN_DATA,)
    ).fetchone()
    assert status == "verified"
    assert approved_by == f"{api['users']['officer2']}, {api['users']['officer']}"
    assert db.execute("select count(*) from raw.feed_records where convention_id = %s", (OPEN_DATA,)).fetchone()[0] == 0
    # the marts were rebuilt from what remains: the other agreements' events, none of this one's
    events = dict(db.execute("select convention_id, count(*) from marts.fct_events group by 1").fetchall())
    assert OPEN_DATA not in events
    assert db.execute("select count(*) from compliance.purge_samples").fetchone()[0] == 0
    assert not any((logs / f"dag_id={d}").exists() for d in FEED_DAGS), "the feeds' task logs"
    assert list((tmp_path / "run-logs").iterdir()) == [], "make run's output of a feed DAG"
    assert _xcoms(FEED_DAGS) == 0, "the feeds' XComs"
    (certificate,) = (tmp_path / "certificates").glob("purge-*.json")
    doc = json.loads(certificate.read_text())
    assert doc["verification"]["passed"] is True
    # the retry verified against the samples the failed attempt took before destroying anything
    taken_at, samples = db.execute(
        "select s.taken_at, s.samples from compliance.purge_sampling s join compliance.purge_requests r"
        " using (purge_id) where r.convention_id = %s",
        (OPEN_DATA,),
    ).fetchone()
    assert taken_at < released and samples > 0
    checked = {c["place"] for c in doc["verification"]["checks"]}
    assert "airflow xcom" in checked and str(tmp_path / "run-logs") in checked
    assert os.path.exists(certificate.with_suffix(".pdf"))
