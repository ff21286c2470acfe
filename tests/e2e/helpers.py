"""Running a DAG the way an operator does: `make dag`, in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile

import requests

from tests.conftest import ROOT


def run_dag(dag_id: str, env: dict | None = None, conf: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", "dag", f"DAG={dag_id}", f"CONF={json.dumps(conf or {})}"],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=900,
    )


def make_dag(dag_id: str, env: dict | None = None, conf: dict | None = None) -> str:
    """Run the DAG and insist that it succeeded; returns its output."""
    result = run_dag(dag_id, env, conf)
    output = result.stdout + result.stderr
    assert result.returncode == 0 and "state=success" in output, output[-4000:]
    return output


def api_session(api: dict, who: str) -> requests.Session:
    resp = requests.post(
        f"{api['base']}/auth/token", json={"username": api["users"][who], "password": api["password"]}, timeout=30
    )
    assert resp.status_code == 201, resp.text
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {resp.json()['access_token']}"
    return session


class Started(subprocess.Popen):
    """A run in the background whose output goes to a file, never to a pipe: a pipe nobody
    reads while the test waits fills up and stalls the run (Airflow logs every state change)."""

    def __init__(self, args: list[str], env: dict) -> None:
        self._out = tempfile.TemporaryFile("w+")  # noqa: SIM115 (closed with the run)
        super().__init__(args, cwd=ROOT, env=env, stdout=self._out, stderr=subprocess.STDOUT, text=True)

    def output(self) -> str:
        self._out.flush()
        self._out.seek(0)
        return self._out.read()

    def communicate(self, input=None, timeout=None) -> tuple[str, None]:  # noqa: A002 (Popen's name)
        self.wait(timeout)
        return self.output(), None


def start_dag(dag_id: str, env: dict | None = None, conf: dict | None = None) -> Started:
    """`make dag` in the background, for a run that stops at a human-in-the-loop step."""
    return Started(
        ["make", "--no-print-directory", "dag", f"DAG={dag_id}", f"CONF={json.dumps(conf or {})}"],
        {**os.environ, **(env or {})},
    )


def wait_for_hitl(
    session: requests.Session, api: dict, dag_id: str, task_id: str, run: Started, timeout: float = 300
) -> str:
    """The URL of `task_id`'s pending human-in-the-loop step in `run`, once it is up."""
    import time

    base = f"{api['base']}/api/v2/dags/{dag_id}/dagRuns"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert run.poll() is None, run.output()[-3000:]
        for dag_run in session.get(f"{base}?state=running", timeout=30).json().get("dag_runs", []):
            url = f"{base}/{dag_run['dag_run_id']}/taskInstances/{task_id}/-1/hitlDetails"
            detail = session.get(url, timeout=30)
            if detail.status_code == 200 and detail.json().get("response_received") is not True:
                return url
        time.sleep(2)
    raise AssertionError(f"{dag_id}.{task_id} did not ask within {timeout} s")


def wait_for_state(session: requests.Session, url: str, state: str, run: Started, timeout: float = 300) -> None:
    """Until the task instance at `url` (REST API) is in `state`."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert run.poll() is None, run.output()[-3000:]
        if session.get(url, timeout=30).json().get("state") == state:
            return
        time.sleep(2)
    raise AssertionError(f"{url} never reached {state} within {timeout} s")


def answer(
    run: Started, url: str, given: dict, by: requests.Session, refused: tuple[requests.Session, ...] = ()
) -> str:
    """Answer the human step at `url` as `by`, after each of `refused` is refused (403); the
    run's output once it has succeeded."""
    for other in refused:
        assert other.patch(url, json=given, timeout=30).status_code == 403, "only the assigned may answer"
    resp = by.patch(url, json=given, timeout=30)
    assert resp.status_code == 200, resp.text
    output, _ = run.communicate(timeout=600)
    assert run.returncode == 0 and "state=success" in output, output[-3000:]
    return output
