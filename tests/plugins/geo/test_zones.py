"""Administrative zones: the configured GeoJSON into geo.admin_boundaries, then into marts.dim_zones."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from tests.conftest import ROOT
from tranquillite.geo.zones import ZonesFileError, load_admin_boundaries


def square(x0: float, y0: float, size: float) -> dict:
    ring = [[x0, y0], [x0 + size, y0], [x0 + size, y0 + size], [x0, y0 + size], [x0, y0]]
    return {"type": "Polygon", "coordinates": [ring]}


def write_zones(path: Path, features: list[dict]) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


# two synthetic "arrondissements" side by side near the Vieux-Port, 0.02° a side (about 1.6 x 2.2 km)
SYNTHETIC = [
    {
        "type": "Feature",
        "properties": {"code": "13001", "kind": "arrondissement", "nom": "Premier"},
        "geometry": square(5.36, 43.29, 0.02),
    },
    {
        "type": "Feature",
        "properties": {"code": "13002", "kind": "arrondissement", "nom": "Deuxième"},
        "geometry": square(5.34, 43.29, 0.02),
    },
]


def test_loads_the_file_and_only_again_when_it_changes(db: psycopg.Connection, tmp_path: Path) -> None:
    path = write_zones(tmp_path / "zones.geojson", SYNTHETIC)
    first = load_admin_boundaries(str(path))
    assert first.configured and first.changed and first.kinds == {"arrondissement": 2}
    assert not load_admin_boundaries(str(path)).changed
    names = db.execute("select zone_code, zone_name from geo.admin_boundaries order by 1").fetchall()
    assert names == [("13001", "Premier"), ("13002", "Deuxième")]
    # the file is the reference: a zone dropped from it leaves the table
    write_zones(path, SYNTHETIC[:1])
    assert load_admin_boundaries(str(path)).zones == 1
    # and no file configured empties it
    assert load_admin_boundaries("").zones == 0
    assert db.execute("select count(*) from geo.admin_boundaries").fetchone()[0] == 0


@pytest.mark.parametrize(
    ("feature", "reason"),
    [
        ({"type": "Feature", "properties": {"nom": "Sans code"}, "geometry": square(5.3, 43.3, 0.01)}, "has no code"),
        (
            {"type": "Feature", "properties": {"code": "P"}, "geometry": {"type": "Point", "coordinates": [5.3, 43.3]}},
            "not an area",
        ),
        (
            {
                "type": "Feature",
                "properties": {"code": "13001", "kind": "arrondissement"},
                "geometry": square(5.3, 43.3, 0.01),
            },
            "appears twice",
        ),
    ],
)
def test_a_bad_feature_stops_the_load_and_says_which(db, tmp_path: Path, feature: dict, reason: str) -> None:
    path = write_zones(tmp_path / "zones.geojson", [*SYNTHETIC, feature])
    with pytest.raises(ZonesFileError, match=reason):
        load_admin_boundaries(str(path))
    assert db.execute("select count(*) from geo.admin_boundaries").fetchone()[0] == 0


@pytest.mark.slow
def test_dim_zones_keeps_the_hexagons_of_the_supplied_territory(db: psycopg.Connection, tmp_path: Path) -> None:
    load_admin_boundaries(str(write_zones(tmp_path / "zones.geojson", SYNTHETIC)))
    target = tmp_path / "dbt"
    done = subprocess.run(
        [sys.executable, "-m", "tranquillite.core.dbt_cli", "run", "--select", "dim_zones"],
        cwd=ROOT / "dbt_project",
        env=dict(os.environ, DBT_TARGET_PATH=str(target), DBT_LOG_PATH=str(target / "logs")),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:]
    kinds = dict(db.execute("select zone_kind, count(*) from marts.dim_zones group by 1").fetchall())
    assert kinds["arrondissement"] == 2
    # 250 m hexagons (about 16 ha) over two 3.5 km² squares: about 45, far fewer than over the whole box
    assert 30 < kinds["hexagon"] < 80
    outside = db.execute(
        "select count(*) from marts.dim_zones h where h.zone_kind = 'hexagon' and not exists"
        " (select 1 from geo.admin_boundaries b where st_intersects(st_transform(b.geom, 2154), h.geom_2154))"
    ).fetchone()[0]
    assert outside == 0
    area = db.execute("select round(avg(area_m2)) from marts.dim_zones where zone_kind = 'hexagon'").fetchone()[0]
    assert area == pytest.approx(3 * 3**0.5 / 2 * 250**2, rel=1e-3)
    db.execute("delete from geo.admin_boundaries")
