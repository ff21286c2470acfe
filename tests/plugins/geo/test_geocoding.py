"""Geocoding through an addok-speaking sandbox: once per address, Marseille only, low scores
flagged, and a geocoder that is down leaves addresses pending rather than failing."""

from __future__ import annotations

from sandbox import feeds_generator as gen
from tests.conftest import MunicipalSandbox
from tranquillite.geo.geocoding import geocode_pending, pending_labels
from tranquillite.sources.feeds.ingest import ingest_feed


def unlocated(records: list[dict], *labels: str) -> list[dict]:
    out = [dict(r) for r in records]
    for record, label in zip(out, labels, strict=False):
        record.update(lieu=label, geo_point_2d=None, geo_shape=None)
    return out


LABELS = (
    "Place Castellane, 13006 Marseille",
    "place castellane 13006 MARSEILLE",  # the same address, typed otherwise: asked once
    "Aix-en-Provence Cours Mirabeau",  # a namesake outside Marseille
    "Parvis de la gare routière",  # a weak match: kept, untrusted
)


def test_geocoder_down_then_up(db, municipal: MunicipalSandbox) -> None:
    municipal.post("/_sandbox/records", {"records": unlocated(gen.ods_records(8), *LABELS)})
    ingest_feed("evenements_espace_public")
    assert len(pending_labels(db)) == 3

    municipal.post("/_sandbox/geocoder", {"down": True})
    down = geocode_pending()
    assert (down.asked, down.pending) == (0, 3) and "unavailable" in down.geocoder_error
    assert db.execute("select count(*) from geo.geocoder_cache").fetchone()[0] == 0

    municipal.post("/_sandbox/geocoder", {"down": False})
    up = geocode_pending()
    assert (up.asked, up.found, up.untrusted, up.out_of_area, up.pending) == (3, 2, 1, 1, 0)
    rows = {
        key: (status, trusted, citycode)
        for key, status, trusted, citycode in db.execute(
            "select label_key, status, is_trusted, result_citycode from geo.geocoder_cache"
        ).fetchall()
    }
    assert rows["place castellane 13006 marseille"] == ("found", True, "13206")
    assert rows["aix en provence cours mirabeau"] == ("out_of_area", False, "13001")
    assert rows["parvis de la gare routiere"][:2] == ("found", False)
    # every address has its answer: nothing is asked twice
    assert geocode_pending().asked == 0
    assert municipal.stats()["geocoder:csv"] == 1


def test_the_search_route_answers_when_the_batch_route_fails(db, municipal: MunicipalSandbox) -> None:
    municipal.post("/_sandbox/records", {"records": unlocated(gen.ods_records(2), LABELS[0], LABELS[1])})
    ingest_feed("evenements_espace_public")
    municipal.post("/_sandbox/faults", {"service": "geocoder", "faults": ["502", "502", "502"]})
    result = geocode_pending()
    assert (result.asked, result.found) == (1, 1)
    assert municipal.stats()["geocoder:search"] == 1
