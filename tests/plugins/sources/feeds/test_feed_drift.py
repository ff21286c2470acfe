"""A feed's change in the nature of its data reaches the DPO as Cortège's does (issue 20,
convention art. 3): a field its schema does not know and a value outside an enumeration
are held as schema drift, not refused for good; once the DPO approves them the held
records are replayed through the whole gate into raw, and the gate accepts the change
from then on. Through the real municipal sandbox, gate, GX and warehouse."""

from __future__ import annotations

from datetime import date

import psycopg
import pytest

from sandbox import feeds_generator as gen
from tests.conftest import MunicipalSandbox
from tranquillite.ingestion import governance
from tranquillite.sources.feeds.ingest import ingest_feed, replay_held_feed

SOURCE = "evenements_espace_public"
NEW_FIELD = f"field:{SOURCE}.acces_pmr"
NEW_VALUE = f"value:{SOURCE}.categorie=brocante"


@pytest.fixture
def open_data_records() -> list[dict]:
    records = gen.ods_records(10)
    records[2] = {**records[2], "acces_pmr": "oui"}
    records[5] = {**records[5], "categorie": "brocante"}
    records[7] = {**records[7], "acces_pmr": "non", "categorie": "brocante"}
    return records


def _held(db: psycopg.Connection) -> dict[str, tuple]:
    return {
        payload["id_evenement"]: (code, status, tuple(signatures))
        for code, status, signatures, payload in db.execute(
            "select reason_code, status, drift_signatures, payload from quarantine.records where source = %s",
            (SOURCE,),
        )
    }


def test_a_feeds_drift_is_held_for_the_dpo_and_replayed_once_approved(
    db: psycopg.Connection, gov: psycopg.Connection, municipal: MunicipalSandbox, open_data_records: list[dict]
) -> None:
    ids = [r["id_evenement"] for r in open_data_records]

    first = ingest_feed(SOURCE)

    assert (first.received, first.loaded, first.quarantined) == (10, 7, 3)
    assert first.reasons == {"schema_drift": 3}
    assert _held(db) == {
        ids[2]: ("schema_drift", "held", (NEW_FIELD,)),
        ids[5]: ("schema_drift", "held", (NEW_VALUE,)),
        ids[7]: ("schema_drift", "held", (NEW_FIELD, NEW_VALUE)),
    }
    pending = {n["signature"]: n for n in governance.pending_notifications(db) if n["source"] == SOURCE}
    assert set(pending) == {NEW_FIELD, NEW_VALUE}
    assert (pending[NEW_FIELD]["held_records"], pending[NEW_VALUE]["held_records"]) == (2, 2)

    # one change approved: only the record that carries nothing else is replayed
    governance.decide(gov, pending[NEW_FIELD]["change_id"], approve=True, decided_by="DPO", impact_study_ref="EIPD-7")
    replay = replay_held_feed(SOURCE)
    assert (replay.received, replay.loaded, replay.quarantined) == (1, 1, 0)
    statuses = {rid: status for rid, (_, status, _) in _held(db).items()}
    assert statuses == {ids[2]: "replayed", ids[5]: "held", ids[7]: "held"}

    # the second: the value passes the gate and the batch's GX suite too
    governance.decide(gov, pending[NEW_VALUE]["change_id"], approve=True, decided_by="DPO", impact_study_ref="EIPD-8")
    replay = replay_held_feed(SOURCE)
    assert (replay.received, replay.loaded, replay.quarantined) == (2, 2, 0)
    assert {status for _, status, _ in _held(db).values()} == {"replayed"}
    landed = dict(db.execute("select record_id, payload from raw.feed_records where source = %s", (SOURCE,)).fetchall())
    assert set(landed) == set(ids)
    assert (landed[ids[7]]["acces_pmr"], landed[ids[7]]["categorie"]) == ("non", "brocante")
    balanced = db.execute(
        "select bool_and(received = loaded + quarantined and status = 'succeeded') from ops.ingest_batches"
        " where source = %s",
        (SOURCE,),
    ).fetchone()[0]
    assert balanced

    # from now on the gate accepts both changes
    again = ingest_feed(SOURCE, full_refresh=True)
    assert (again.received, again.quarantined) == (10, 0)


def test_a_rejected_feed_change_keeps_its_records_held(
    db: psycopg.Connection, gov: psycopg.Connection, municipal: MunicipalSandbox
) -> None:
    ingest_feed(SOURCE)
    pending = {n["signature"]: n["change_id"] for n in governance.pending_notifications(db) if n["source"] == SOURCE}
    governance.decide(gov, pending[NEW_FIELD], approve=False, decided_by="DPO", impact_study_ref="EIPD-9")
    replay = replay_held_feed(SOURCE)
    assert replay.received == 0
    assert {status for _, status, _ in _held(db).values()} == {"held"}
    assert ingest_feed(SOURCE, full_refresh=True).reasons == {"schema_drift": 3}


def test_a_replayed_record_the_gate_normalised_is_marked_replayed_once(
    db: psycopg.Connection, gov: psycopg.Connection, municipal: MunicipalSandbox
) -> None:
    """The held copy keeps its 3-D positions; the replay lands them flattened. It is still
    marked replayed, so that no later replay loads it again."""
    record = {
        **gen.ods_records(1, seed=3)[0],
        "acces_pmr": "oui",
        "geo_shape": {
            "type": "Feature",
            "geometry": {"type": "LineString", "coordinates": [[5.37, 43.29, 8.0], [5.38, 43.30, 9.5]]},
            "properties": {},
        },
    }
    municipal.post("/_sandbox/records", {"records": [record]})
    ingest_feed(SOURCE)
    (change_id,) = db.execute("select change_id from governance.schema_changes where signature = %s", (NEW_FIELD,))
    governance.decide(gov, change_id[0], approve=True, decided_by="DPO", impact_study_ref="EIPD-10")

    first = replay_held_feed(SOURCE)
    assert (first.received, first.loaded) == (1, 1)
    assert {status for _, status, _ in _held(db).values()} == {"replayed"}
    coordinates = db.execute("select payload -> 'geo_shape' -> 'geometry' -> 'coordinates' from raw.feed_records")
    assert coordinates.fetchone()[0] == [[5.37, 43.29], [5.38, 43.30]]
    assert replay_held_feed(SOURCE).received == 0


def test_a_file_feeds_held_records_wait_for_the_next_delivery(
    db: psycopg.Connection, gov: psycopg.Connection, municipal: MunicipalSandbox
) -> None:
    """A road-works file's record belongs to its delivery: lifted out of quarantine it would
    land as current content of no file (and reopen a closed site). It stays held; once the
    change is approved, the next delivery carrying it lands it."""
    collection = gen.travaux_collection(date(2026, 10, 26))
    collection["features"][0]["properties"]["riverains_prevenus"] = "oui"
    municipal.post("/_sandbox/travaux", {"collection": collection})
    first = ingest_feed("travaux_voirie")
    assert first.reasons == {"schema_drift": 1}
    (signature, change_id) = db.execute(
        "select signature, change_id from governance.schema_changes where source = 'travaux_voirie'"
    ).fetchone()
    assert signature.startswith("field:travaux_voirie.") and signature.endswith(".riverains_prevenus")
    governance.decide(gov, change_id, approve=True, decided_by="DPO", impact_study_ref="EIPD-11")

    replay = replay_held_feed("travaux_voirie")
    assert (replay.received, replay.loaded) == (0, 0)
    assert db.execute("select status from quarantine.records").fetchall() == [("held",)]

    again = ingest_feed("travaux_voirie", full_refresh=True)
    assert (again.received, again.quarantined) == (len(collection["features"]), 0)
