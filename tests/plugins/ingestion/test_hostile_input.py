"""A corpus of hostile strings through every source, end to end into the warehouse.

Each value from a source reaches SQL only as a bound parameter or through COPY:
the injection strings are stored as text, every table is still there, each batch
balances (received = loaded + quarantined), what the contract allows comes back
byte for byte, and what it cannot hold is quarantined with a clear reason.
"""

from __future__ import annotations

import os
import time
from datetime import date

import psycopg

from sandbox import feeds_generator as gen
from sandbox.feeds_generator import PM_HEADER
from tests.conftest import MunicipalSandbox, Sandbox
from tests.fixtures import entries as fx
from tranquillite.sources.cortege.ingest import ingest_cortege
from tranquillite.sources.feeds.ingest import ingest_feed

# stored as they are: the database must see them as data, never as SQL
HARMLESS = {
    "quotes": 'Quai « Rive-Neuve » l\'après-midi, "guillemets" et `accents graves`',
    "injection": "'; drop table raw.cortege_entries; --",
    "injection_feed": "x'); delete from quarantine.records; select ('",
    "placeholders": "50 % des voies %s %(name)s {0} $1 :param ?",
    "dollar_quoting": "$$; drop schema raw cascade; $$ $tag$ E'\\x00'",
    "backslashes": "C:\\temp\\new \\N \\. \\u0000 (a literal backslash-u, not a NUL)",
    "right_to_left": "Cortège \u202eévitcA\u202c \u200f\u2067isolé\u2069 fin",
    "emoji": "Fête 🎉 du quartier 🚲👮‍♀️ 🇫🇷 \U0001f9ea",
    "zero_width": "Vieux\u200bPort\ufeff\u2060",
}
# cannot be held as the contract says: quarantined, with this reason
REFUSED = {
    "nul_byte": ("Rassemblement\x00 place Castellane", "invalid_text"),
    "one_megabyte": ("A" * 1_000_000, "too_large"),
}
KNOWN_REASONS = {
    "schema_drift",
    "schema_violation",
    "invalid_datetime",
    "end_before_start",
    "invalid_geometry",
    "invalid_text",
    "version_conflict",
    "personal_data",
    "malformed_line",
    "too_large",
    "too_deep",
    "out_of_range",
    "invalid_number",
    "updated_at_in_future",
    "load_failed",
}
TABLES = ["raw.cortege_entries", "raw.feed_records", "quarantine.records", "ops.ingest_batches", "landing.feed_records"]


def _tables_intact(db: psycopg.Connection) -> None:
    for table in TABLES:
        assert db.execute("select to_regclass(%s)", (table,)).fetchone()[0] is not None, table


def _balanced(db: psycopg.Connection, batch_id: str) -> tuple[int, int, int]:
    row = db.execute(
        "select received, loaded, quarantined from ops.ingest_batches where batch_id = %s and status = 'succeeded'",
        (batch_id,),
    ).fetchone()
    assert row is not None and row[0] == row[1] + row[2], row
    return row


def _quarantine(db: psycopg.Connection, batch_id: str) -> dict[str, str]:
    return dict(
        db.execute("select record_id, reason_code from quarantine.records where batch_id = %s", (batch_id,)).fetchall()
    )


def test_cortege(db: psycopg.Connection, sandbox: Sandbox) -> None:
    entries = {name: fx.march(objet=value, description=value) for name, value in HARMLESS.items()}
    entries.update({name: fx.march(objet=value) for name, (value, _) in REFUSED.items()})
    # hostile strings in an address label and in the id of an entry too
    entries["label"] = fx.march(adresse_depart={"libelle": HARMLESS["injection"], "lon": 5.3743, "lat": 43.2951})
    sandbox.replace(list(entries.values()))

    result = ingest_cortege()

    _tables_intact(db)
    received, loaded, quarantined = _balanced(db, result.batch_id)
    assert received == len(entries)
    reasons = _quarantine(db, result.batch_id)
    assert {reasons[entries[name]["id"]] for name in REFUSED} == {reason for _, reason in REFUSED.values()}
    for name, (_, reason) in REFUSED.items():
        assert reasons[entries[name]["id"]] == reason, name
    assert set(reasons.values()) <= KNOWN_REASONS
    for name, value in HARMLESS.items():
        stored = db.execute(
            "select payload ->> 'objet', payload ->> 'description' from raw.cortege_entries where entry_id = %s",
            (entries[name]["id"],),
        ).fetchone()
        assert stored == (value, value), name
    label = db.execute(
        "select payload -> 'adresse_depart' ->> 'libelle' from raw.cortege_entries where entry_id = %s",
        (entries["label"]["id"],),
    ).fetchone()[0]
    assert label == HARMLESS["injection"]
    # the NUL never reaches the warehouse, not even in the quarantined copy
    held = db.execute("select payload::text from quarantine.records where batch_id = %s", (result.batch_id,))
    assert all("\x00" not in text and "\\u0000" not in text for (text,) in held)


def test_opendata(db: psycopg.Connection, municipal: MunicipalSandbox) -> None:
    base = gen.ods_records(len(HARMLESS) + len(REFUSED) + 1)
    records, expected = [], {}
    corpus = [*HARMLESS.items(), *((n, v) for n, (v, _) in REFUSED.items())]
    for record, (name, value) in zip(base, corpus, strict=False):
        records.append({**record, "titre": value, "lieu": value[:500]})
        expected[record["id_evenement"]] = name
    # an id that is an injection attempt
    hostile_id = "EVT'); drop table raw.feed_records; --"
    records.append({**base[-1], "id_evenement": hostile_id, "titre": HARMLESS["emoji"]})
    municipal.post("/_sandbox/records", {"records": records})

    result = ingest_feed("evenements_espace_public")

    _tables_intact(db)
    received, _, _ = _balanced(db, result.batch_id)
    reasons = _quarantine(db, result.batch_id)
    assert set(reasons.values()) <= KNOWN_REASONS
    by_name = {name: rid for rid, name in expected.items()}
    # a feed's quarantined record is keyed by its content hash: its id is not trusted
    assert sorted(reasons.values()) == sorted(reason for _, reason in REFUSED.values())
    assert (received, len(reasons)) == (len(records), len(REFUSED))
    stored = dict(
        db.execute(
            "select record_id, payload ->> 'titre' from raw.feed_records where source = 'evenements_espace_public'"
        ).fetchall()
    )
    for name, value in HARMLESS.items():
        assert stored[by_name[name]] == value, name
    assert stored[hostile_id] == HARMLESS["emoji"]


def test_road_works(db: psycopg.Connection, municipal: MunicipalSandbox) -> None:
    collection = gen.travaux_collection(date(2026, 10, 26))
    features = collection["features"]
    names = list(HARMLESS)[: len(features)]
    for feature, name in zip(features, names, strict=False):
        feature["properties"] = {**feature["properties"], "adresse": HARMLESS[name]}
    municipal.post("/_sandbox/travaux", {"collection": collection})
    result = ingest_feed("travaux_voirie")
    _tables_intact(db)
    _balanced(db, result.batch_id)
    stored = {
        r[0]
        for r in db.execute(
            "select payload -> 'properties' ->> 'adresse' from raw.feed_records where source = 'travaux_voirie'"
        )
    }
    assert {HARMLESS[name] for name in names} <= stored


def test_police_csv_with_invalid_utf8(db: psycopg.Connection, municipal: MunicipalSandbox) -> None:
    def line(n: int, text: str) -> str:
        return f"PM-20261027-{n:04d};27/10/2026 10:{n:02d};tranquillite;{text};1;5,381;43,299;Sans suite"

    harmless = [v.replace(";", ",").replace("\n", " ") for v in HARMLESS.values()]
    lines = [line(i + 1, text).encode() for i, text in enumerate(harmless)]
    bad_utf8 = line(len(lines) + 1, "octets ").encode() + b"\xff\xfe\xc3(" + b" invalides"
    nul = line(len(lines) + 2, "avec\x00NUL").encode()
    data = b"\xef\xbb\xbf" + b"\r\n".join([PM_HEADER.encode(), *lines, bad_utf8, nul])
    path = municipal.folder / "interventions_20261027.csv"
    path.write_bytes(data)
    past = time.time() - 3600
    os.utime(path, (past, past))

    result = ingest_feed("interventions_police_municipale")

    _tables_intact(db)
    received, loaded, quarantined = _balanced(db, result.batch_id)
    assert received == len(lines) + 2
    held = db.execute(
        "select reason_code, line_number, payload::text from quarantine.records"
        " where batch_id = %s order by line_number",
        (result.batch_id,),
    ).fetchall()
    # the header is line 1: the invalid bytes and the NUL are the last two lines
    assert [(r, n) for r, n, _ in held if n > len(lines) + 1] == [
        ("invalid_text", len(lines) + 2),
        ("invalid_text", len(lines) + 3),
    ]
    assert all(r in KNOWN_REASONS for r, _, _ in held)
    assert all("\x00" not in text and "\\u0000" not in text for _, _, text in held)
    stored = {
        r[0]
        for r in db.execute(
            "select payload ->> 'sous_categorie' from raw.feed_records where source = 'interventions_police_municipale'"
        )
    }
    assert stored == set(harmless)
    assert (loaded, quarantined) == (len(lines), 2)
