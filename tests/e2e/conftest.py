"""Fixtures of the end-to-end tests: Airflow's api-server with one user per role."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator

import pytest
import requests

from tests.conftest import ROOT

PASSWORD = f"pw-{uuid.uuid4().hex}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(*args: str, timeout: int = 600) -> str:
    result = subprocess.run(args, cwd=ROOT, env=os.environ.copy(), capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    return result.stdout


@pytest.fixture(scope="session", autouse=True)
def own_airflow(warehouse_url: str, airflow_metadata: str) -> str:
    """Every end-to-end test runs its DAGs on the session's own warehouse and Airflow database."""
    return airflow_metadata


@pytest.fixture(scope="session")
def api(own_airflow: str) -> Iterator[dict]:
    """An api-server with the project's roles, and one user per role, in the session's own Airflow database."""
    _run("airflow", "dags", "reserialize")
    _run("python", "-m", "tranquillite.access.airflow_roles", "sync")
    suffix = uuid.uuid4().hex[:6]
    users = {
        "officer": (f"t_officer_{suffix}", "ComplianceOfficer"),
        "officer2": (f"t_officer2_{suffix}", "ComplianceOfficer"),
        "engineer": (f"t_engineer_{suffix}", "DataEngineer"),
        "dpo": (f"t_dpo_{suffix}", "DPO"),
        "validator": (f"t_validator_{suffix}", "PrefectureValidator"),
        "viewer": (f"t_viewer_{suffix}", "Viewer"),
    }
    # one process for all of them (FAB's application, started once, outside the test session);
    # the password from the environment, never on a command line
    os.environ["TRQ_TEST_USERS_PASSWORD"] = PASSWORD
    try:
        _run(
            "python",
            "-m",
            "tranquillite.access.airflow_roles",
            "users",
            "--password-from",
            "TRQ_TEST_USERS_PASSWORD",
            *(f"{name}:{role}" for name, role in users.values()),
        )
    finally:
        os.environ.pop("TRQ_TEST_USERS_PASSWORD", None)
    port = _free_port()
    logs = ROOT / ".local" / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    log = open(logs / f"api-server-test-{port}.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        ["airflow", "api-server", "--port", str(port), "--host", "127.0.0.1"],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{base}/api/v2/monitor/health", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            assert proc.poll() is None, "the api-server stopped; see .local/logs"
            time.sleep(1)
        else:
            pytest.fail("the api-server did not answer within 180 s")
        yield {"base": base, "users": {k: v[0] for k, v in users.items()}, "password": PASSWORD}
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
        # the users go with the session's Airflow database (tests/conftest.py drops it)
