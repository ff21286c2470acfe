"""`make run` twice: the first loads and builds, the second loads nothing twice."""

from __future__ import annotations

import os
import socket
import subprocess

import psycopg
import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_make_run_twice(db: psycopg.Connection) -> None:
    env = {k: v for k, v in os.environ.items() if k != "AIRFLOW_CONN_CORTEGE"}
    env["TRQ_SANDBOX_PORT"] = str(free_port())  # its own sandbox, whatever else runs here

    first = subprocess.run(
        ["make", "--no-print-directory", "run"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900
    )
    assert first.returncode == 0, (first.stdout + first.stderr)[-4000:]
    assert "240 new row(s) landed" in first.stdout
    assert "marts.fct_events        240 event(s)" in first.stdout
    built = db.execute("select count(*), count(distinct source_record_id) from marts.fct_events").fetchone()
    assert built == (240, 240)

    second = subprocess.run(
        ["make", "--no-print-directory", "run"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900
    )
    assert second.returncode == 0, (second.stdout + second.stderr)[-4000:]
    assert "0 new row(s) landed" in second.stdout
    assert "warehouse_build not triggered" in second.stdout
    assert db.execute("select count(*) from raw.cortege_entries").fetchone()[0] == 240
