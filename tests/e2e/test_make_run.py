"""`make run` twice: the first loads all four sources and builds, the second loads nothing twice."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import time
from datetime import datetime
from pathlib import Path

import psycopg
import pytest

from tests.conftest import ROOT
from tests.e2e.map_browser import open_map

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


def test_make_run_twice(db: psycopg.Connection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started = time.time()
    env = {k: v for k, v in os.environ.items() if k not in OWN}
    # its own sandboxes and landing folder, whatever else runs here
    env["TRQ_SANDBOX_PORT"] = str(free_port())
    env["TRQ_FEEDS_PORT"] = str(free_port())
    env["TRQ_PM_LANDING_DIR"] = str(tmp_path / "pm_landing")
    env["TRQ_MAP_DIR"] = str(tmp_path / "map")
    env["TRQ_MAP_TILES"] = "none"  # no network here; the layers are what is checked

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
    assert f"map: {tmp_path / 'map' / 'tension_map.html'}" in out
    map_agrees_with_marts(db, tmp_path / "map", tmp_path / "screenshots" / "make_run.png")

    second = subprocess.run(
        ["make", "--no-print-directory", "run"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900
    )
    assert second.returncode == 0, (second.stdout + second.stderr)[-4000:]
    assert second.stdout.count(" 0 new row(s) landed") == 4
    assert "warehouse_build not triggered" in second.stdout
    assert db.execute("select count(*) from raw.cortege_entries").fetchone()[0] == 240
    assert db.execute("select count(*) from raw.feed_records").fetchone()[0] == 352
    no_secret_in_logs(started, first.stdout + first.stderr + second.stdout + second.stderr)
    the_map_as_of_the_sandbox_reference_week(db, tmp_path, monkeypatch)


def the_map_as_of_the_sandbox_reference_week(
    db: psycopg.Connection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sandbox's data lie around 15 November 2026: drawn as of then from the marts `make run`
    built, no layer is empty but the cold spots (with most hexagons at zero, low activity cannot
    be a significant cold spot). Part of the test that builds those marts, so that it never
    depends on another test having run first."""
    from tranquillite.tension.map import write_map

    monkeypatch.setenv("TRQ_MAP_TILES", "none")
    result = write_map(datetime.fromisoformat("2026-11-15T12:00:00+01:00"), tmp_path / "reference-map")
    assert result.counts["events"] > 100 and result.counts["hot_zones"] > 10 and result.counts["conflicts"] > 5
    map_agrees_with_marts(db, tmp_path / "reference-map", ROOT / "reports" / "tension_map.png")


# a connection string that carries its password: user:password@host
URL_WITH_PASSWORD = re.compile(r"[a-z][a-z0-9+.-]*://[^\s:/@]+:[^\s@/]+@")


def no_secret_in_logs(since: float, output: str) -> None:
    """Every log line of the run (task logs, processes' logs, the commands' output) is free
    of every generated secret (passwords, tokens, keys) and of any URL with its password."""
    secrets = {
        f.name: f.read_text().strip()
        for f in (ROOT / ".local" / "secrets").iterdir()
        if f.is_file() and len(f.read_text().strip()) >= 12
    }
    assert {"pg_app", "pg_trq_loader", "cortege_sandbox_token", "airflow_meta"} <= set(secrets)
    logs = {"make run output": output}
    for folder in (ROOT / ".local" / "airflow" / "logs", ROOT / ".local" / "logs"):
        for f in folder.rglob("*"):
            if f.is_file() and f.stat().st_mtime >= since:
                logs[str(f.relative_to(ROOT))] = f.read_text(errors="replace")
    assert "cortege_ingest" in "".join(logs) + output
    leaks = [f"{where}: {name}" for where, text in logs.items() for name, value in secrets.items() if value in text] + [
        f"{where}: a URL with its password" for where, text in logs.items() if URL_WITH_PASSWORD.search(text)
    ]
    assert leaks == []


def map_agrees_with_marts(db: psycopg.Connection, folder: Path, screenshot: Path) -> None:
    """The map that tension_map wrote says what the marts say, as of the instant it records,
    and Chromium shows every layer with that many features."""
    drawn = json.loads((folder / "tension_map.json").read_text())
    as_of = datetime.fromisoformat(drawn["as_of"])
    expected = {
        "events": db.execute(
            "select count(*) from marts.fct_events where geom is not null and not is_cancelled"
            " and coalesce(ends_at, starts_at) >= %s",
            (as_of,),
        ).fetchone()[0],
        "conflicts": db.execute(
            "select count(*) from marts.fct_event_conflicts where window_ends_at >= %s", (as_of,)
        ).fetchone()[0],
    }
    for layer, sign in (("hot_zones", 1), ("cold_zones", -1)):
        expected[layer] = db.execute(
            "select count(*) from marts.fct_tension_zones where period_kind = 'week'"
            " and period_start = %s and sign(gi_bin) = %s",
            (drawn["week"], sign),
        ).fetchone()[0]
    assert drawn["counts"] == expected
    for layer, count in expected.items():
        assert len(json.loads((folder / f"{layer}.geojson").read_text())["features"]) == count
    # every conflict on the map is between two events the marts hold, neither cancelled
    assert (
        db.execute(
            "select count(*) from marts.fct_event_conflicts c join marts.fct_events a on a.event_id = c.event_id_a"
            " join marts.fct_events b on b.event_id = c.event_id_b where a.is_cancelled or b.is_cancelled"
        ).fetchone()[0]
        == 0
    )

    page = open_map(folder / "tension_map.html", screenshot)
    assert page["errors"] == []
    assert page["layers"] == {layer: {"features": count, "shown": True} for layer, count in expected.items()}
    assert page["legend"] == expected
    assert len(page["controls"]) == 4
    assert screenshot.stat().st_size > 10_000
