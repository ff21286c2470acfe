"""The feeds in marts.fct_events after a real `dbt build`: a re-delivered file replaces the
earlier one, a work site the daily file stops listing is closed, a bow-tie is repaired, and
an event waiting for the geocoder shows it, then gets its point once the geocoder is back."""

from __future__ import annotations

import os
import time
from datetime import date
from decimal import Decimal

import pytest

from sandbox import feeds_generator as gen
from tests.conftest import MunicipalSandbox
from tests.dbt.test_dbt_build import dbt
from tranquillite.geo.geocoding import geocode_pending
from tranquillite.sources.feeds.ingest import ingest_feed

pytestmark = pytest.mark.slow


def settle(path) -> None:
    past = time.time() - 3600
    os.utime(path, (past, past))


def test_feeds_through_dbt(db, municipal: MunicipalSandbox, tmp_path) -> None:
    records = gen.ods_records(20)
    for r in records[:3]:
        r.update(geo_point_2d=None, geo_shape=None, lieu="Place Castellane, 13006 Marseille")
    municipal.post("/_sandbox/records", {"records": records})
    day = date(2026, 11, 4)
    pm_file = municipal.folder / "interventions_20261104.csv"
    pm_file.write_bytes(gen.pm_csv(day, 10))
    settle(pm_file)
    for source in ("evenements_espace_public", "interventions_police_municipale", "travaux_voirie"):
        ingest_feed(source)
    municipal.post("/_sandbox/geocoder", {"down": True})
    assert geocode_pending().pending >= 1

    first = dbt(["build"], tmp_path / "first")
    assert first.returncode == 0, first.stdout[-3000:]
    by_source = dict(db.execute("select source, count(*) from marts.fct_events group by source").fetchall())
    sites = gen.travaux_collection(date(2026, 10, 26))["features"]
    assert by_source["evenements_espace_public"] == 20
    assert by_source["interventions_police_municipale"] == 10
    assert by_source["travaux_voirie"] == len(sites)
    pending = db.execute(
        "select count(*) from marts.fct_events where geocoding_status = 'pending' and geom is null"
        " and source = 'evenements_espace_public'"
    ).fetchone()[0]
    assert pending >= 3
    repaired = db.execute(
        "select geom_quality, st_isvalid(geom), st_geometrytype(geom) from marts.fct_events"
        " where source_record_id = %s",
        (sites[0]["properties"]["id_chantier"],),
    ).fetchone()
    assert repaired == ("repaired_shape", True, "ST_MultiPolygon")
    assert db.execute("select count(distinct convention_id) from marts.fct_events").fetchone()[0] == 2

    # the police file delivered again, one line withdrawn; a work site dropped from the daily file
    lines = gen.pm_csv(day, 10).decode("utf-8-sig").splitlines()
    pm_file.write_bytes(("\ufeff" + "\r\n".join(lines[:-1]) + "\r\n").encode())
    settle(pm_file)
    gone = sites[-1]["properties"]["id_chantier"]
    municipal.post("/_sandbox/travaux", {"collection": {"type": "FeatureCollection", "features": sites[:-1]}})
    ingest_feed("interventions_police_municipale")
    ingest_feed("travaux_voirie")
    municipal.post("/_sandbox/geocoder", {"down": False})
    assert geocode_pending().found >= 1

    second = dbt(["build"], tmp_path / "second")
    assert second.returncode == 0, second.stdout[-3000:]
    assert (
        db.execute("select count(*) from marts.fct_events where source = 'interventions_police_municipale'").fetchone()[
            0
        ]
        == 9
    )
    starts_at, ends_at, closed_at = db.execute(
        "select starts_at, ends_at, source_closed_at from marts.fct_events where source_record_id = %s", (gone,)
    ).fetchone()
    assert closed_at is not None and starts_at <= ends_at <= max(closed_at, starts_at)  # ended at its closure
    assert (
        db.execute(
            "select count(*) from marts.fct_events where source = 'travaux_voirie' and source_closed_at is not null"
        ).fetchone()[0]
        == 1
    )
    located = db.execute(
        "select geocoding_status, geom_quality, round(st_x(geom)::numeric, 4) from marts.fct_events"
        " where source_record_id = %s",
        (records[0]["id_evenement"],),
    ).fetchone()
    assert located == ("geocoded", "address_point", Decimal("5.3833"))
