"""The DAG policy: every DAG parses cheaply, with owners, catalogue tags, retries and alerts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tranquillite.dag_policy import OWNER, TAGS

DAGS_DIR = Path(__file__).resolve().parents[2] / "dags"
DAG_FILES = sorted(p.name for p in DAGS_DIR.glob("*.py"))
# slow to import, or doing I/O when imported: they belong inside tasks
HEAVY = [
    "great_expectations",
    "spacy",
    "presidio_analyzer",
    "pandas",
    "dbt.cli.main",
    "tranquillite.warehouse",
    "tranquillite.validation",
    "tranquillite.pii.detectors",
    "jsonschema_rs",
    # the failure notifiers' providers (aiohttp: 0.8 s a file) are imported when a task fails
    "aiohttp",
    "airflow.providers.http.notifications.http",
    "airflow.providers.smtp.notifications.smtp",
]

PROBE = """
import importlib.util, json, socket, sys
def refuse(*args, **kwargs):
    raise RuntimeError("network access at parse time")
socket.socket.connect = refuse
socket.create_connection = refuse
spec = importlib.util.spec_from_file_location("dag_under_test", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
heavy = json.loads(sys.argv[2])
print(json.dumps(sorted(m for m in sys.modules if any(m == h or m.startswith(h + ".") for h in heavy))))
"""


@pytest.mark.parametrize("name", DAG_FILES)
def test_parses_without_network_or_heavy_imports(name: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(DAGS_DIR / name), json.dumps(HEAVY)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []


@pytest.fixture(scope="module")
def dagbag():
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(DAGS_DIR))


def test_every_task_alerts_on_failure_by_mail_and_webhook(dagbag) -> None:
    from airflow.providers.http.notifications.http import HttpNotifier
    from airflow.providers.smtp.notifications.smtp import SmtpNotifier

    for dag in dagbag.dags.values():
        for task in dag.tasks:
            callbacks = task.on_failure_callback
            callbacks = callbacks if isinstance(callbacks, list) else [callbacks]
            kinds = {type(c.build()) for c in callbacks}
            assert {SmtpNotifier, HttpNotifier} <= kinds, f"{dag.dag_id}.{task.task_id}"


def test_owners_tags_retries(dagbag) -> None:
    for dag in dagbag.dags.values():
        assert set(dag.tags) <= set(TAGS) and dag.tags
        for task in dag.tasks:
            assert task.owner == OWNER and task.retries >= 1
            assert task.retry_exponential_backoff, f"{dag.dag_id}.{task.task_id} retries without backoff"
            assert task.execution_timeout is not None, f"{dag.dag_id}.{task.task_id} may run forever"


def test_dag_level_access_control(dagbag) -> None:
    """The compliance officers reach exactly the compliance DAGs, the DPO the schema-change
    approval, the prefecture's validators their validation only; every other DAG names no
    role (data engineers reach it through global rights)."""
    from tranquillite.dag_policy import ROLE_COMPLIANCE, ROLE_DPO, ROLE_PREFECTURE_VALIDATOR

    for dag in dagbag.dags.values():
        roles = set(dag.access_control or {})
        if dag.dag_id == "habilitation_prefecture_validation":
            assert roles == {ROLE_COMPLIANCE, ROLE_PREFECTURE_VALIDATOR}
        elif "compliance" in dag.tags:
            assert roles == {ROLE_COMPLIANCE}, dag.dag_id
            assert dag.access_control[ROLE_COMPLIANCE]["DAG Runs"] == {"can_read", "can_create"}
        elif dag.dag_id == "schema_change_approval":
            assert roles == {ROLE_DPO}
        else:
            assert roles == set(), dag.dag_id
    compliance = {d.dag_id for d in dagbag.dags.values() if "compliance" in d.tags}
    assert {"convention_purge", "habilitation_grant", "habilitations_sync", "convention_compliance"} <= compliance
