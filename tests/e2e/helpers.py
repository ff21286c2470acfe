"""Running a DAG the way an operator does: `make dag`, in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess

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
