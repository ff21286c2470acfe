"""Operations through real Airflow runs: failure notifiers, alerts, lineage."""

from __future__ import annotations

import json
import threading

import psycopg
import pytest

from sandbox import smtp_server, webhook_server
from tests.conftest import Sandbox
from tests.e2e.helpers import run_dag
from tests.fixtures import entries as fx

pytestmark = pytest.mark.slow


@pytest.fixture
def receivers():
    """A real SMTP server and a real webhook receiver on loopback; the env that points at them."""
    controller, mail = smtp_server.start(0)
    inbox = webhook_server.Inbox()
    hook = webhook_server.serve(0, inbox)
    threading.Thread(target=hook.serve_forever, daemon=True).start()
    smtp = json.dumps(
        {
            "conn_type": "smtp",
            "host": "127.0.0.1",
            "port": controller.port,
            "extra": {"disable_tls": True, "disable_ssl": True, "from_email": "plateforme@localhost"},
        }
    )
    env = {
        "AIRFLOW_CONN_OPS_SMTP": smtp,
        "AIRFLOW_CONN_DPO_SMTP": smtp,
        "AIRFLOW_CONN_OPS_WEBHOOK": json.dumps(
            {"conn_type": "http", "host": "127.0.0.1", "port": hook.server_address[1], "schema": "http"}
        ),
    }
    yield mail, inbox, env
    hook.shutdown()
    controller.stop()


def test_a_failing_task_calls_the_notifiers(db: psycopg.Connection, sandbox: Sandbox, receivers) -> None:
    mail, inbox, env = receivers
    env = {**env, "AIRFLOW_CONN_CORTEGE": sandbox.conn_json.replace(sandbox.token, "revoked-token-123")}
    result = run_dag("cortege_ingest", env)
    assert "state=failed" in result.stdout + result.stderr
    subjects = [m["subject"] for m in mail.messages]
    assert any("cortege_ingest.pull_and_land" in s for s in subjects), subjects
    failures = [p["body"] for p in inbox.posts if p["body"].get("kind") == "task_failed"]
    assert failures and failures[0]["dag_id"] == "cortege_ingest" and failures[0]["task_id"] == "pull_and_land"
    # the exception's class only: its text could quote a record (a cast error, a geocoder's 400)
    assert failures[0]["error"].startswith("AirflowFailException")
    assert "refused the token" not in failures[0]["error"]
    everything = json.dumps(inbox.posts) + "".join(m["text"] for m in mail.messages)
    assert "revoked-token-123" not in everything


def test_quarantine_alert_and_lineage(db: psycopg.Connection, sandbox: Sandbox, receivers, tmp_path) -> None:
    mail, inbox, env = receivers
    lineage = tmp_path / "lineage.jsonl"
    sandbox.upsert(list(fx.malformed_set().values()))
    env = {
        **env,
        "AIRFLOW_CONN_CORTEGE": sandbox.conn_json,
        "TRQ_QUARANTINE_ALERT_SHARE": "0.05",
        "AIRFLOW__OPENLINEAGE__TRANSPORT": json.dumps({"type": "file", "log_file_path": str(lineage), "append": True}),
    }
    result = run_dag("cortege_ingest", env)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    alerts = [p["body"] for p in inbox.posts if p["body"].get("kind") == "quarantine_share"]
    assert len(alerts) == 1 and alerts[0]["received"] == 66 and alerts[0]["quarantined"] == 6
    events = [json.loads(line) for line in lineage.read_text().splitlines() if line.strip()]
    jobs = {e["job"]["name"] for e in events}
    assert "cortege_ingest.pull_and_land" in jobs
    assert {"START", "COMPLETE"} <= {e["eventType"] for e in events}


def test_each_silent_source_raises_one_alert(db: psycopg.Connection, receivers) -> None:
    mail, inbox, env = receivers
    db.execute("truncate ops.alerts")
    env = {**env, "TRQ_WORKING_HOURS": "mon-sun 00:00-23:59", "TRQ_CORTEGE_SILENCE_MINUTES": "60"}
    for _ in range(2):
        result = run_dag("source_freshness", env)
        assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    from tranquillite.ingestion.freshness import feed_watches

    alerts = [p["body"] for p in inbox.posts if p["body"].get("kind") == "source_silent"]
    # an empty warehouse: Cortège and every watched feed are silent, each alerts once over two runs
    assert sorted(a["source"] for a in alerts) == sorted(["cortege", *(source for source, _, _ in feed_watches())])
    assert any("Cortège silencieux" in m["subject"] for m in mail.messages)
    assert any("interventions_police_municipale silencieux" in m["subject"] for m in mail.messages)
