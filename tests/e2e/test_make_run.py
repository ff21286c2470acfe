"""`make run` twice: the first loads all four sources and builds, the second loads nothing twice."""

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


OWN = {
    "AIRFLOW_CONN_CORTEGE",
    "AIRFLOW_CONN_OPENDATA_MARSEILLE",
    "AIRFLOW_CONN_TRAVAUX_VOIRIE",
    "AIRFLOW_CONN_GEOCODER",
    "AIRFLOW_CONN_PM_LANDING",
}


def test_make_run_twice(db: psycopg.Connection, tmp_path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in OWN}
    # its own sandboxes and landing folder, whatever else runs here
    env["TRQ_SANDBOX_PORT"] = str(free_port())
    env["TRQ_FEEDS_PORT"] = str(free_port())
    env["TRQ_PM_LANDING_DIR"] = str(tmp_path / "pm_landing")

    first = subprocess.run(
        ["make", "--no-print-directory", "run"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900
    )
    assert first.returncode == 0, (first.stdout + first.stderr)[-4000:]
    out = first.stdout
    assert "cortege (succeeded): received 240 = loaded 240 + quarantined 0; 240 new row(s) landed." in out
    # the sandboxes' feeds: 180 open-data events, 4 police files of 40 lines, 12 work sites
    assert "evenements_espace_public (succeeded): received 180 = loaded 180 + quarantined 0" in out
    assert "interventions_police_municipale (succeeded): received 160 = loaded 160 + quarantined 0" in out
    assert "travaux_voirie (succeeded): received 12 = loaded 12 + quarantined 0" in out
    assert "marts.fct_events        592 event(s), 16 cancelled, 0 awaiting geocoding" in out
    built = dict(db.execute("select source, count(*) from marts.fct_events group by source").fetchall())
    assert built == {
        "cortege": 240,
        "evenements_espace_public": 180,
        "interventions_police_municipale": 160,
        "travaux_voirie": 12,
    }
    conventions = db.execute("select source, convention_id from marts.fct_events group by 1, 2").fetchall()
    assert len(conventions) == 4 and all(c for _, c in conventions)

    second = subprocess.run(
        ["make", "--no-print-directory", "run"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900
    )
    assert second.returncode == 0, (second.stdout + second.stderr)[-4000:]
    assert second.stdout.count(" 0 new row(s) landed") == 4
    assert "warehouse_build not triggered" in second.stdout
    assert db.execute("select count(*) from raw.cortege_entries").fetchone()[0] == 240
    assert db.execute("select count(*) from raw.feed_records").fetchone()[0] == 352
