"""Each feed through its real transport, the gate, GX and raw, against the municipal
sandbox: every fault path of the contract, and received = loaded + quarantined."""

from __future__ import annotations

import os
import time
from datetime import date

import psycopg
import pytest

from sandbox import feeds_generator as gen
from sandbox.feeds_generator import PM_HEADER
from tests.conftest import MunicipalSandbox, role_url
from tranquillite.compliance.residue import find_residue
from tranquillite.core.connections import get_conn
from tranquillite.core.http import HttpAuthError
from tranquillite.sources.feeds.config import feed
from tranquillite.sources.feeds.ingest import ingest_feed
from tranquillite.sources.feeds.transports import FeedError, OpendatasoftClient

ODS = feed("evenements_espace_public")


def balanced(db: psycopg.Connection, batch_id: str) -> tuple[int, int, int]:
    row = db.execute(
        "select received, loaded, quarantined from ops.ingest_batches where batch_id = %s and status = 'succeeded'",
        (batch_id,),
    ).fetchone()
    assert row is not None and row[0] == row[1] + row[2]
    return row


def drop_file(folder, name: str, data: bytes, *, settled: bool = True) -> None:
    path = folder / name
    path.write_bytes(data)
    if settled:
        past = time.time() - 3600
        os.utime(path, (past, past))


# --- open data: Explore API v2.1 ---------------------------------------------------------


def test_opendata_loads_every_record_and_then_only_what_changed(db, municipal: MunicipalSandbox) -> None:
    first = ingest_feed(ODS.source)
    assert (first.received, first.loaded, first.new_rows, first.quarantined) == (60, 60, 60, 0)
    balanced(db, first.batch_id)
    assert db.execute("select count(distinct convention_id) from raw.feed_records").fetchone()[0] == 1

    records = gen.ods_records(60)
    records[5] = {**records[5], "titre": "Festival reporté", "date_modification": "2026-12-01T09:00:00Z"}
    municipal.post("/_sandbox/records", {"records": records})
    second = ingest_feed(ODS.source)
    # asked from the high-water mark (minus the lookback): only the edited record is new
    assert second.requested_since is not None
    assert second.new_rows == 1
    assert db.execute("select count(*) from raw.feed_records where record_id = 'EVT-2026-000006'").fetchone()[0] == 2


def test_opendata_switches_to_the_export_route_past_the_offset_window(municipal: MunicipalSandbox) -> None:
    municipal.post("/_sandbox/records", {"records": gen.ods_records(10_250)})
    client = OpendatasoftClient(get_conn(ODS.connection), ODS)
    ids = [item.record["id_evenement"] for page in client.iter_pages(None) for item in page]
    stats = municipal.stats()
    assert client.switched_to_export
    assert stats["opendata:records"] == 100 and stats["opendata:exports"] == 1
    assert "opendata:window_refused" not in stats  # never asked past offset + limit = 10,000
    assert len(set(ids)) == 10_250  # nothing missed; the records at the seam may come twice


def test_opendata_retries_transient_errors_and_refuses_a_bad_key(db, municipal: MunicipalSandbox, monkeypatch) -> None:
    municipal.post("/_sandbox/faults", {"service": "opendata", "faults": ["503", "drop", "429"]})
    result = ingest_feed(ODS.source)
    assert result.loaded == 60
    municipal.state.apikey = "the-right-key"
    with pytest.raises(HttpAuthError, match="refused the credentials"):
        ingest_feed(ODS.source, full_refresh=True)
    monkeypatch.setenv(
        "AIRFLOW_CONN_OPENDATA_MARSEILLE",
        f'{{"conn_type": "http", "host": "{municipal.url}", "password": "the-right-key"}}',
    )
    assert ingest_feed(ODS.source, full_refresh=True).received == 60
    failed = db.execute("select count(*) from ops.ingest_batches where status = 'failed'").fetchone()[0]
    assert failed == 1 and db.execute("select count(*) from landing.feed_records").fetchone()[0] == 0


def test_opendata_personal_data_lands_masked_and_a_bad_geometry_is_quarantined(db, municipal: MunicipalSandbox) -> None:
    records = gen.ods_records(10)
    records[0] = {**records[0], "titre": "Anniversaire de Mme Duval, contact 06 12 34 56 78"}
    records[1] = {
        **records[1],
        "geo_shape": {
            "type": "Feature",
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[5.37, 43.29], [5.38, 43.30], [5.38, 43.29], [5.37, 43.30], [5.37, 43.29]]],
            },
            "properties": {},
        },
    }
    records[2] = {**records[2], "categorie": "manifestation"}
    municipal.post("/_sandbox/records", {"records": records})
    result = ingest_feed(ODS.source)
    # the record with personal data lands masked; the bad geometry is quarantined, and the
    # category outside the enumeration is held for the DPO (a change of the data's nature)
    assert (result.received, result.loaded, result.quarantined) == (10, 8, 2)
    assert result.reasons == {"invalid_geometry": 1, "schema_drift": 1}
    assert result.masked == 1 and result.masked_types == {"person": 1, "phone": 1}
    title = db.execute(
        "select payload->>'titre' from raw.feed_records where record_id = %s", (str(records[0]["id_evenement"]),)
    ).fetchone()
    assert title == ("Anniversaire de Mme [PERSONNE], contact [TÉLÉPHONE]",)
    assert find_residue(db, ["Duval", "06 12 34 56 78"]) == []


# --- the municipal police's CSV in a landing folder -----------------------------------------


def test_police_files_byte_order_mark_dst_and_malformed_lines(db, municipal: MunicipalSandbox) -> None:
    rows = [
        "PM-20261025-0001;25/10/2026 02:10;rixe;Rixe sur la voie publique;1;5,381;43,299;Sans suite",
        "PM-20261025-0002;25/10/2026 02:40;tranquillite;Regroupement dans un hall;3;5,381;43,311;Rappel à la règle",
        "PM-20261025-0003;25/10/2026 02:05;nuisance_sonore;Tapage nocturne;6;5,381;43,287;Verbalisation",
        "PM-20261025-0004;25/10/2026 02:50;rixe;trop de champs;1;5,381;43,299;Sans suite;en trop",
    ]
    drop_file(municipal.folder, "interventions_20261025.csv", ("\ufeff" + "\r\n".join([PM_HEADER, *rows])).encode())
    result = ingest_feed("interventions_police_municipale")
    assert (result.received, result.loaded, result.quarantined) == (4, 3, 1)
    assert result.deliveries == ["interventions_20261025.csv"]
    balanced(db, result.batch_id)
    moments = dict(
        db.execute("select record_id, payload ->> 'date_heure' from raw.feed_records order by record_id").fetchall()
    )
    assert moments == {
        "PM-20261025-0001": "2026-10-25T02:10:00+02:00",
        "PM-20261025-0002": "2026-10-25T02:40:00+02:00",
        "PM-20261025-0003": "2026-10-25T02:05:00+01:00",
    }
    reason, line = db.execute("select reason_code, line_number from quarantine.records").fetchone()
    assert (reason, line) == ("malformed_line", 5)


def test_a_file_still_being_written_is_left_for_the_next_run(db, municipal: MunicipalSandbox) -> None:
    drop_file(municipal.folder, "interventions_20261103.csv", gen.pm_csv(date(2026, 11, 3), 12), settled=False)
    drop_file(municipal.folder, "interventions_20261103.csv.part", b"partial", settled=True)
    assert ingest_feed("interventions_police_municipale").received == 0
    past = time.time() - 3600
    os.utime(municipal.folder / "interventions_20261103.csv", (past, past))
    assert ingest_feed("interventions_police_municipale").loaded == 12
    # the same file again, unchanged: nothing to do
    assert ingest_feed("interventions_police_municipale").received == 0


def test_a_file_delivered_again_replaces_the_earlier_delivery(db, municipal: MunicipalSandbox) -> None:
    day = date(2026, 11, 4)
    drop_file(municipal.folder, "interventions_20261104.csv", gen.pm_csv(day, 10))
    ingest_feed("interventions_police_municipale")
    corrected = gen.pm_csv(day, 10).decode("utf-8-sig").splitlines()
    corrected[1] = corrected[1].replace(";Sans suite", ";Verbalisation").replace(";Rappel à la règle", ";Verbalisation")
    del corrected[-1]  # a line withdrawn
    drop_file(municipal.folder, "interventions_20261104.csv", ("\ufeff" + "\r\n".join(corrected)).encode())
    again = ingest_feed("interventions_police_municipale")
    assert again.deliveries == ["interventions_20261104.csv"] and again.received == 9
    deliveries = db.execute("select count(*) from ops.feed_deliveries where delivery = 'interventions_20261104.csv'")
    assert deliveries.fetchone()[0] == 2
    current = db.execute(
        "select count(*) from raw.feed_records r where r.last_seen_at = (select max(delivered_at)"
        " from ops.feed_deliveries d where d.delivery = r.delivery)"
    ).fetchone()[0]
    assert current == 9  # the withdrawn line is no longer current: the dbt model drops it


# --- road works: GeoJSON with ETag -------------------------------------------------------


def test_road_works_304_repairable_and_unrepairable_geometry(db, municipal: MunicipalSandbox) -> None:
    first = ingest_feed("travaux_voirie")
    features = gen.travaux_collection(date(2026, 10, 26))["features"]
    assert first.loaded == len(features) and first.quarantined == 0  # the bow-tie passes, to be repaired
    second = ingest_feed("travaux_voirie")
    assert second.received == 0 and not second.changed
    assert municipal.stats()["travaux:304"] == 1

    # a street of one point: ST_MakeValid would collapse it to a point, so it is not "repaired"
    broken = {**features[1], "geometry": {"type": "LineString", "coordinates": [[5.38, 43.29]]}}
    municipal.post(
        "/_sandbox/travaux", {"collection": {"type": "FeatureCollection", "features": [broken, *features[2:]]}}
    )
    third = ingest_feed("travaux_voirie")
    assert third.quarantined == 1 and third.reasons == {"invalid_geometry": 1}
    balanced(db, third.batch_id)
    # present but held at the gate: its last good content stays current, it is not closed
    seen = db.execute(
        "select max(last_seen_at) = (select max(delivered_at) from ops.feed_deliveries) from raw.feed_records"
        " where record_id = %s",
        (features[1]["properties"]["id_chantier"],),
    ).fetchone()[0]
    assert seen is True


def test_road_works_file_that_is_not_geojson_fails_loudly(db, municipal: MunicipalSandbox) -> None:
    municipal.post("/_sandbox/travaux", {"body": "<html>maintenance</html>"})
    with pytest.raises(FeedError, match="not JSON"):
        ingest_feed("travaux_voirie")
    assert db.execute("select status from ops.ingest_batches").fetchone()[0] == "failed"


# --- the same folder over SFTP, as in production -------------------------------------------


def test_police_files_over_sftp(db, municipal: MunicipalSandbox, tmp_path, monkeypatch) -> None:
    import json

    from sandbox.sftp_server import SftpSandbox

    drop = tmp_path / "drop" / "incoming"
    drop.mkdir(parents=True)
    drop_file(drop, "interventions_20261105.csv", gen.pm_csv(date(2026, 11, 5), 8))
    drop_file(drop, "interventions_20261106.csv", gen.pm_csv(date(2026, 11, 6), 5), settled=False)
    server = SftpSandbox(tmp_path / "drop", "pm", "s3cret-for-tests").start()
    try:
        conn = {
            "conn_type": "sftp",
            "host": "127.0.0.1",
            "port": server.port,
            "login": "pm",
            "password": "s3cret-for-tests",
            "extra": {"path": "/incoming", "host_key": f"ssh-rsa {server.key.get_base64()}"},
        }
        monkeypatch.setenv("AIRFLOW_CONN_PM_LANDING", json.dumps(conn))
        result = ingest_feed("interventions_police_municipale")
        # the settled file is read; the one still being written waits
        assert (result.received, result.loaded, result.deliveries) == (8, 8, ["interventions_20261105.csv"])
        monkeypatch.setenv("AIRFLOW_CONN_PM_LANDING", json.dumps({**conn, "password": "wrong"}))
        with pytest.raises(FeedError, match="refused the credentials"):
            ingest_feed("interventions_police_municipale")
        # a server that is not the one pinned (a man in the middle) is refused before any password is sent
        other = {**conn, "extra": {"path": "/incoming", "host_key": "ssh-rsa AAAAnotthekey"}}
        monkeypatch.setenv("AIRFLOW_CONN_PM_LANDING", json.dumps(other))
        with pytest.raises(FeedError, match="host key"):
            ingest_feed("interventions_police_municipale")
    finally:
        server.close()


def test_a_large_batch_refreshes_the_planners_statistics(db, municipal: MunicipalSandbox) -> None:
    """A build that starts right after a large load must not plan on a table it believes
    empty (migration 010); small batches leave it to autovacuum. Autovacuum is off on the
    partition here, so only the loader's own ANALYZE can move the estimate."""
    partition = "raw.feed_records__vdm_pm_main_courante"
    db.execute("select raw.ensure_agreement_partition('feed_records', 'VDM-PM-MAIN-COURANTE')")
    db.execute(f"alter table {partition} set (autovacuum_enabled = false)")
    db.commit()

    def estimate() -> float:
        return db.execute("select reltuples from pg_class where oid = %s::regclass", (partition,)).fetchone()[0]

    try:
        for day in (date(2026, 11, 3), date(2026, 11, 4)):
            drop_file(municipal.folder, f"interventions_{day:%Y%m%d}.csv", gen.pm_csv(day, 600))
        assert ingest_feed("interventions_police_municipale").new_rows == 1200
        assert estimate() == 1200
        drop_file(municipal.folder, "interventions_20261105.csv", gen.pm_csv(date(2026, 11, 5), 12))
        assert ingest_feed("interventions_police_municipale").new_rows == 12
        assert estimate() == 1200  # 12 new rows: no ANALYZE of its own
    finally:
        db.execute(f"alter table {partition} reset (autovacuum_enabled)")
        db.commit()
    with psycopg.connect(role_url("transformer")) as transformer, pytest.raises(psycopg.errors.InsufficientPrivilege):
        transformer.execute("select raw.refresh_statistics('feed_records', 'VDM-PM-MAIN-COURANTE', 5000)")
