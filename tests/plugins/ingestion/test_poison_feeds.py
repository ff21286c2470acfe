"""One poisoned record in each municipal feed, through its real transport, the gate, GX and
raw: quarantined alone with its reason, or normalised and loaded where the contract allows
it, and the rest of the batch lands."""

from __future__ import annotations

from datetime import date

import psycopg
import pytest

from sandbox import feeds_generator as gen
from sandbox.feeds_generator import PM_HEADER
from tests.conftest import MunicipalSandbox
from tests.fixtures import entries as fx
from tests.plugins.sources.feeds.test_feeds_ingest import balanced, drop_file
from tranquillite.sources.feeds.config import feed
from tranquillite.sources.feeds.ingest import ingest_feed

ODS = feed("evenements_espace_public")


def _line_3d(record: dict) -> dict:
    coordinates = [[5.37, 43.29, 8.0], [5.38, 43.30, 9.5], [5.39, 43.30, 11.0]]
    return {**record, "geo_shape": {"type": "Feature", "geometry": {"type": "LineString", "coordinates": coordinates}}}


ODS_POISONS = [
    ("3-D positions", _line_3d, None),
    ("attendance written 1.0", lambda r: {**r, "affluence_prevue": 1.0}, None),
    # the feed's schema bounds the attendance: its own rule decides before the warehouse's range
    ("attendance 1e20", lambda r: {**r, "affluence_prevue": 1e20}, "schema_violation"),
    ("attendance past int4", lambda r: {**r, "affluence_prevue": 3_000_000_000}, "schema_violation"),
    ("title of 1.2 M characters", lambda r: {**r, "titre": "t" * 1_200_000}, "too_large"),
    ("nesting 900 deep", lambda r: {**r, "geo_point_2d": fx.nested(900)}, "too_deep"),
    ("modified in 2999", lambda r: {**r, "date_modification": "2999-01-01T00:00:00Z"}, "updated_at_in_future"),
    ("year 9999, negative offset", lambda r: {**r, "date_fin": "9999-12-31T23:30:00-05:00"}, "invalid_datetime"),
]


@pytest.mark.parametrize(("name", "poison", "reason"), ODS_POISONS, ids=[p[0] for p in ODS_POISONS])
def test_opendata_one_poisoned_record(db: psycopg.Connection, municipal: MunicipalSandbox, name, poison, reason):
    records = gen.ods_records(6)
    records[2] = poison(records[2])
    municipal.post("/_sandbox/records", {"records": records})
    result = ingest_feed(ODS.source)
    received, loaded, quarantined = balanced(db, result.batch_id)
    assert received == 6
    poisoned = str(records[2]["id_evenement"])
    landed = db.execute("select count(*) from raw.feed_records where record_id = %s", (poisoned,)).fetchone()[0]
    if reason is None:
        assert (loaded, quarantined, landed) == (6, 0, 1)
    else:
        assert (loaded, quarantined, landed) == (5, 1, 0)
        assert result.reasons == {reason: 1}
    mark = db.execute("select high_water_mark from ops.watermarks where source = %s", (ODS.source,)).fetchone()
    assert mark is None or mark[0].year < 2999


def test_opendata_3d_shape_lands_flat(db: psycopg.Connection, municipal: MunicipalSandbox) -> None:
    records = [_line_3d(r) for r in gen.ods_records(2)]
    municipal.post("/_sandbox/records", {"records": records})
    ingest_feed(ODS.source)
    dims = db.execute(
        "select distinct jsonb_array_length(payload -> 'geo_shape' -> 'geometry' -> 'coordinates' -> 0)"
        " from raw.feed_records"
    ).fetchall()
    assert dims == [(2,)]


def test_police_file_with_one_field_past_the_csv_limit(db: psycopg.Connection, municipal: MunicipalSandbox) -> None:
    rows = [
        "PM-20261025-0001;25/10/2026 09:10;rixe;Rixe sur la voie publique;1;5,381;43,299;Sans suite",
        "PM-20261025-0002;25/10/2026 09:40;tranquillite;" + "x" * 200_000 + ";3;5,381;43,311;Rappel à la règle",
        "PM-20261025-0003;25/10/2026 10:05;nuisance_sonore;Tapage nocturne;6;5,381;43,287;Verbalisation",
    ]
    drop_file(municipal.folder, "interventions_20261025.csv", "\r\n".join([PM_HEADER, *rows]).encode())
    result = ingest_feed("interventions_police_municipale")
    assert (result.received, result.loaded, result.quarantined) == (3, 2, 1)
    assert result.reasons == {"too_large": 1}
    balanced(db, result.batch_id)


def test_road_works_with_elevations_land_flat(db: psycopg.Connection, municipal: MunicipalSandbox) -> None:
    collection = gen.travaux_collection(date(2026, 10, 26))
    for f in collection["features"]:
        if f["geometry"]["type"] == "LineString":
            f["geometry"]["coordinates"] = [[*p, 3.0] for p in f["geometry"]["coordinates"]]
    municipal.post("/_sandbox/travaux", {"collection": collection})
    result = ingest_feed("travaux_voirie")
    assert result.loaded == len(collection["features"]) and result.quarantined == 0
    three_d = db.execute(
        "select count(*) from raw.feed_records, jsonb_array_elements(payload -> 'geometry' -> 'coordinates') p"
        " where payload -> 'geometry' ->> 'type' = 'LineString' and jsonb_array_length(p) > 2"
    ).fetchone()[0]
    assert three_d == 0
