"""dbt on hand-made entries: the build and its tests pass, and fct_events says the right things."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import psycopg
import pytest

from tests.conftest import ROOT, Sandbox
from tests.fixtures import entries as fx
from tranquillite.compliance.conventions import agreement_of
from tranquillite.core.settings import CORTEGE
from tranquillite.sources.cortege.ingest import ingest_cortege

pytestmark = pytest.mark.slow
VIEUX_PORT = {"libelle": "Vieux-Port, Quai des Belges, 13001 Marseille", "lon": 5.3743, "lat": 43.2951}


def dbt(args: list[str], target: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, DBT_TARGET_PATH=str(target), DBT_LOG_PATH=str(target / "logs"))
    return subprocess.run(
        [sys.executable, "-m", "tranquillite.core.dbt_cli", *args],
        cwd=ROOT / "dbt_project",
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def built(warehouse_url: str, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Land a hand-made set through the real ingestion, then `dbt build`."""
    from sandbox.cortege_server import SandboxState  # noqa: F401 - fails early if missing
    from tranquillite.warehouse import connect

    cases = {
        "traced_march": fx.march(),
        "untraced_march": fx.march(trace=None),
        "unlocated_march": fx.march(
            trace=None,
            adresse_depart={"libelle": "Vieux-Port, 13001 Marseille", "lon": None, "lat": None},
            adresse_arrivee={"libelle": "Place Castellane, 13006 Marseille", "lon": None, "lat": None},
        ),
        # from and back to the Vieux-Port, nothing located on the way: a place, not a zero-length line
        "loop_march": fx.march(trace=None, adresse_arrivee=VIEUX_PORT),
        "round_trip_march": fx.march(
            trace=None,
            points_de_passage=[{"libelle": "Place Castellane, 13006 Marseille", "lon": 5.3833, "lat": 43.2856}],
            adresse_arrivee=VIEUX_PORT,
        ),
        "footprint": fx.gathering(),
        "gathering_point": fx.gathering(emprise=None),
        "operation": fx.operation(),
        "unlocated_visit": fx.visit(),
    }
    edited = fx.visit(
        objet="Visite ministérielle",
        adresses=[{"libelle": "Palais du Pharo, 13007 Marseille", "lon": 5.3606, "lat": 43.2930}],
    )
    cases["edited_visit"] = edited
    with connect() as conn:
        conn.execute("truncate raw.cortege_entries, quarantine.records, ops.ingest_batches, ops.watermarks")
    box = Sandbox(list(cases.values()) + [fx.march(fin="2026-03-07T10:00:00+01:00")])
    os.environ["AIRFLOW_CONN_CORTEGE"] = box.conn_json
    try:
        settings = replace(CORTEGE, page_size=3)
        ingest_cortege(settings=settings)
        box.upsert(
            [
                dict(edited, version=2, objet="Visite présidentielle", updated_at="2026-10-21T09:00:00+02:00"),
                dict(cases["footprint"], version=2, etat="annulee", updated_at="2026-10-21T09:05:00+02:00"),
            ]
        )
        ingest_cortege(settings=settings)
        # the operation's latest version ends before it starts: held, the first one stays shown
        box.upsert(
            [
                dict(
                    cases["operation"],
                    version=2,
                    fin="2026-01-01T00:00:00+01:00",
                    updated_at="2026-10-21T09:10:00+02:00",
                )
            ]
        )
        ingest_cortege(settings=settings)
    finally:
        box.close()
        os.environ.pop("AIRFLOW_CONN_CORTEGE", None)
    result = dbt(["build"], tmp_path_factory.mktemp("dbt-target"))
    return {"cases": cases, "result": result}


@pytest.fixture
def mart(built: dict, warehouse_url: str):
    from tranquillite.warehouse import connect

    with connect() as conn:
        yield conn


def row(conn: psycopg.Connection, entry: dict, *columns: str) -> tuple:
    return conn.execute(
        f"select {', '.join(columns)} from marts.fct_events where source_record_id = %s", (entry["id"],)
    ).fetchone()


def test_dbt_build_and_its_tests_pass(built: dict) -> None:
    result = built["result"]
    assert result.returncode == 0, result.stdout[-3000:]
    assert "ERROR=0" in result.stdout and "PASS=" in result.stdout


def test_one_row_per_entry_latest_version(built: dict, mart: psycopg.Connection) -> None:
    cases = built["cases"]
    assert mart.execute("select count(*), count(distinct source_record_id) from marts.fct_events").fetchone() == (
        len(cases),
        len(cases),
    )
    assert row(mart, cases["edited_visit"], "source_version", "title") == (2, "Visite présidentielle")
    assert row(mart, cases["footprint"], "is_cancelled", "source_version") == (True, 2)
    assert row(mart, cases["traced_march"], "is_cancelled")[0] is False


def test_event_id_is_stable_and_typed(built: dict, mart: psycopg.Connection) -> None:
    import hashlib
    import uuid

    entry = built["cases"]["traced_march"]
    expected = uuid.UUID(hashlib.md5(f"cortege:{entry['id']}".encode()).hexdigest())
    assert row(mart, entry, "event_id", "event_type", "source", "convention_id") == (
        expected,
        "march",
        "cortege",
        agreement_of("cortege").convention_id,
    )


@pytest.mark.parametrize(
    ("case", "quality", "geometry_type", "points"),
    [
        ("traced_march", "declared_route", "ST_LineString", 3),
        ("untraced_march", "route_from_addresses", "ST_LineString", 2),
        ("unlocated_march", "not_located", None, None),
        ("loop_march", "address_point", "ST_Point", 1),
        ("round_trip_march", "route_from_addresses", "ST_LineString", 3),
        ("footprint", "declared_footprint", "ST_Polygon", 5),
        ("gathering_point", "address_point", "ST_Point", 1),
        ("operation", "address_points", "ST_MultiPoint", 2),
        ("unlocated_visit", "not_located", None, None),
        ("edited_visit", "address_point", "ST_Point", 1),
    ],
)
def test_geometry_rules(
    built: dict, mart: psycopg.Connection, case: str, quality: str, geometry_type: str | None, points: int | None
) -> None:
    got = row(
        mart,
        built["cases"][case],
        "geom_quality",
        "st_geometrytype(geom)",
        "st_npoints(geom)",
        "coalesce(st_srid(geom), 4326)",
    )
    assert got == (quality, geometry_type, points, 4326)


def test_declared_route_is_the_trace(built: dict, mart: psycopg.Connection) -> None:
    entry = built["cases"]["traced_march"]
    coords = mart.execute(
        "select st_asgeojson(geom)::jsonb -> 'coordinates' from marts.fct_events where source_record_id = %s",
        (entry["id"],),
    ).fetchone()[0]
    assert coords == entry["trace"]["coordinates"]


def test_times_across_the_dst_change(built: dict, mart: psycopg.Connection) -> None:
    duration = row(mart, built["cases"]["operation"], "extract(epoch from ends_at - starts_at) / 3600")[0]
    assert float(duration) == 7.0


def test_counts_carried(built: dict, mart: psycopg.Connection) -> None:
    got = row(
        mart,
        built["cases"]["traced_march"],
        "expected_attendance",
        "declared_attendance",
        "expected_vehicles",
        "declared_vehicles",
        "organizer_status",
        "theme",
    )
    assert got == (8000, 5000, 2, 2, "syndicat", None)
    assert row(mart, built["cases"]["operation"], "theme", "expected_attendance") == ("securite_routiere", None)


def test_quarantined_entries_never_reach_the_marts(built: dict, mart: psycopg.Connection) -> None:
    never_accepted = mart.execute(
        "select record_id from quarantine.records q where not exists"
        " (select from raw.cortege_entries r where r.entry_id::text = q.record_id)"
    ).fetchall()
    assert len(never_accepted) == 1
    assert not mart.execute("select 1 from marts.fct_events where source_record_id = %s", never_accepted[0]).fetchone()


def test_an_event_whose_latest_version_is_held_says_so(built: dict, mart: psycopg.Connection) -> None:
    """The operation's version 2 was quarantined: the map keeps version 1, flagged as not current."""
    operation = built["cases"]["operation"]
    assert row(mart, operation, "source_version", "latest_version_held", "latest_version_held_reason") == (
        1,
        True,
        "end_before_start",
    )
    flagged = mart.execute("select source_record_id from marts.fct_events where latest_version_held").fetchall()
    assert flagged == [(operation["id"],)], "every other event shows its current version"
