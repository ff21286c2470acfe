"""The DAG policy, in one test: every DAG parses cheaply and offline, is documented, owned,
tagged from the catalogue, retried with backoff under a timeout, alerts by mail and webhook,
and opens to exactly the roles it should. What each DAG does is in test_dag_shapes.py."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.dags.conftest import DAGS_DIR
from tranquillite.airflow.policy import OWNER, ROLE_COMPLIANCE, ROLE_DPO, ROLE_PREFECTURE_VALIDATOR, TAGS

DAG_FILES = sorted(p.name for p in DAGS_DIR.glob("*.py"))
EXPECTED = {"cortege_ingest", "warehouse_build", "convention_purge", "schema_change_approval"}
# slow to import, or doing I/O when imported: they belong inside tasks
HEAVY = [
    "great_expectations",
    "spacy",
    "presidio_analyzer",
    "pandas",
    "dbt.cli.main",
    "tranquillite.warehouse",
    "tranquillite.ingestion.validation",
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
def test_every_dag_file_parses_offline_without_heavy_imports(name: str) -> None:
    # Airflow's safe mode only parses files that mention both words
    text = (DAGS_DIR / name).read_text().lower()
    assert "airflow" in text and "dag" in text, name
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(DAGS_DIR / name), json.dumps(HEAVY)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []


def _access_problems(dag) -> list[str]:
    """The compliance officers reach exactly the compliance DAGs, the DPO the schema-change
    approval, the prefecture's validators their validation only; every other DAG names no
    role (data engineers reach it through global rights)."""
    roles = set(dag.access_control or {})
    if dag.dag_id == "habilitation_prefecture_validation":
        wanted = {ROLE_COMPLIANCE, ROLE_PREFECTURE_VALIDATOR}
    elif "compliance" in dag.tags:
        wanted = {ROLE_COMPLIANCE}
        if (dag.access_control or {}).get(ROLE_COMPLIANCE, {}).get("DAG Runs") != {"can_read", "can_create"}:
            return ["compliance officers must read and trigger runs, nothing else"]
    elif dag.dag_id == "schema_change_approval":
        wanted = {ROLE_DPO}
    else:
        wanted = set()
    return [] if roles == wanted else [f"roles {sorted(roles)}, expected {sorted(wanted)}"]


def test_dag_policy(dagbag) -> None:
    from airflow.providers.http.notifications.http import HttpNotifier
    from airflow.providers.smtp.notifications.smtp import SmtpNotifier

    assert dagbag.import_errors == {}
    assert set(dagbag.dag_ids) >= EXPECTED
    problems = []
    for dag_id, dag in sorted(dagbag.dags.items()):
        if not dag.tags or not set(dag.tags) <= set(TAGS):
            problems.append(f"{dag_id}: tags {dag.tags} not from the catalogue")
        if not dag.doc_md:
            problems.append(f"{dag_id}: no documentation")
        if dag.catchup is not False:
            problems.append(f"{dag_id}: catchup")
        problems += [f"{dag_id}: {p}" for p in _access_problems(dag)]
        for task in dag.tasks:
            where = f"{dag_id}.{task.task_id}"
            if task.owner != OWNER:
                problems.append(f"{where}: owner {task.owner}")
            if task.retries < 1 or not task.retry_exponential_backoff:
                problems.append(f"{where}: no retries with exponential backoff")
            if task.execution_timeout is None:
                problems.append(f"{where}: may run forever (no execution_timeout)")
            callbacks = task.on_failure_callback
            callbacks = callbacks if isinstance(callbacks, list) else [callbacks]
            if not {SmtpNotifier, HttpNotifier} <= {type(c.build()) for c in callbacks if c}:
                problems.append(f"{where}: does not alert by mail and webhook")
    assert problems == []
    compliance = {d.dag_id for d in dagbag.dags.values() if "compliance" in d.tags}
    assert {"convention_purge", "habilitation_grant", "habilitations_sync", "convention_compliance"} <= compliance
