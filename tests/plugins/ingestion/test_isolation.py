"""A record that the gate lets through but a later step refuses fails neither its batch nor
its source (issue 20): the page is landed record by record, the culprit is quarantined as
`load_failed` with no value of it anywhere, and the rest lands. The refusal is a real one,
a trigger of the warehouse raising for one record's content, as a cast or PostGIS would;
through the real ingestion, sandboxes and warehouse."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import psycopg
import pytest

from sandbox import feeds_generator as gen
from tests.conftest import MunicipalSandbox, Sandbox
from tests.fixtures import entries as fx
from tranquillite.core.settings import CORTEGE
from tranquillite.sources.cortege.ingest import ingest_cortege
from tranquillite.sources.feeds.ingest import ingest_feed

PAGES_OF_4 = replace(CORTEGE, page_size=4, backoff_base_seconds=0.01)
MARKER = "poison-9f3c"  # the content the warehouse refuses; must appear in no message


@pytest.fixture
def refusing(db: psycopg.Connection) -> Iterator[callable]:
    """`refusing(table, field, sqlstate)`: a trigger on landing.<table> that raises, quoting
    the value as a cast error does, for a record whose `field` holds the marker."""
    made: list[str] = []

    def install(table: str, field: str, sqlstate: str = "22P02") -> None:
        db.execute(
            f"create or replace function landing.refuse_{table}() returns trigger language plpgsql as $$"
            f" begin if new.payload ->> '{field}' like '%{MARKER}%' then"
            f" raise exception 'invalid input syntax: \"%\"', new.payload ->> '{field}' using errcode = '{sqlstate}';"
            " end if; return new; end $$"
        )
        db.execute(
            f"create trigger refuse before insert on landing.{table} for each row"
            f" execute function landing.refuse_{table}()"
        )
        db.commit()
        made.append(table)

    yield install
    db.rollback()
    for table in made:
        db.execute(f"drop trigger if exists refuse on landing.{table}")
        db.execute(f"drop function if exists landing.refuse_{table}()")
    db.commit()


def _ledger(db: psycopg.Connection, batch_id: str) -> tuple:
    return db.execute(
        "select status, received, loaded, quarantined, pages, coalesce(error, '') from ops.ingest_batches"
        " where batch_id = %s",
        (batch_id,),
    ).fetchone()


def _nowhere(db: psycopg.Connection) -> None:
    """The refused value is in no quarantine payload or detail and in no ledger error."""
    assert not db.execute(
        "select 1 from quarantine.records where payload::text like %s or reason_detail like %s",
        (f"%{MARKER}%", f"%{MARKER}%"),
    ).fetchall()
    assert not db.execute("select 1 from ops.ingest_batches where error like %s", (f"%{MARKER}%",)).fetchall()


def test_a_cortege_entry_a_later_step_refuses_is_isolated(
    db: psycopg.Connection, sandbox: Sandbox, refusing, caplog: pytest.LogCaptureFixture
) -> None:
    good = [fx.march(objet=f"Marche {n}") for n in range(9)]
    poison = fx.march(objet=f"Rassemblement {MARKER}")
    sandbox.replace([*good[:5], poison, *good[5:]])
    refusing("cortege_entries", "objet")

    result = ingest_cortege(settings=PAGES_OF_4)

    status, received, loaded, quarantined, pages, _ = _ledger(db, result.batch_id)
    assert (status, received, loaded, quarantined, pages) == ("succeeded", 10, 9, 1, 3)
    held = db.execute(
        "select record_id, record_version, reason_code, reason_detail, payload from quarantine.records"
    ).fetchall()
    assert len(held) == 1
    rid, version, code, detail, payload = held[0]
    assert (rid, version, code) == (poison["id"], poison["version"], "load_failed")
    assert "InvalidTextRepresentation" in detail and payload == {"withheld": "load_failed"}
    landed = {r[0] for r in db.execute("select entry_id::text from raw.cortege_entries")}
    assert landed == {e["id"] for e in good}
    _nowhere(db)
    assert MARKER not in caplog.text

    # the source is not stalled: the next pull lands a new entry
    later = fx.march(objet="Marche suivante", updated_at="2026-06-03T10:00:00+02:00")
    sandbox.upsert([later])
    again = ingest_cortege(settings=PAGES_OF_4)
    assert _ledger(db, again.batch_id)[0] == "succeeded"
    assert db.execute("select count(*) from raw.cortege_entries where entry_id = %s", (later["id"],)).fetchone()[0] == 1


@pytest.mark.parametrize(
    ("sqlstate", "error_class"),
    [("57014", psycopg.errors.QueryCanceled), ("42501", psycopg.errors.InsufficientPrivilege)],
    ids=["statement cancelled", "a grant lost"],
)
def test_an_error_that_is_not_a_records_fails_the_batch_and_quarantines_nothing(
    db: psycopg.Connection, sandbox: Sandbox, refusing, sqlstate: str, error_class: type
) -> None:
    """A statement cancelled or a lost grant says nothing of a record: isolating would
    quarantine good records for it, withheld, for good. The batch fails, lands nothing, and
    is retried."""
    sandbox.replace([fx.march(objet=f"Marche {MARKER}"), fx.march(objet="Autre marche")])
    refusing("cortege_entries", "objet", sqlstate=sqlstate)

    with pytest.raises(error_class):
        ingest_cortege(settings=PAGES_OF_4)

    status, *_, error = db.execute(
        "select status, error from ops.ingest_batches order by started_at desc limit 1"
    ).fetchone()
    assert status == "failed" and error.startswith(error_class.__name__)
    assert db.execute("select count(*) from quarantine.records").fetchone()[0] == 0
    assert db.execute("select count(*) from raw.cortege_entries").fetchone()[0] == 0
    assert db.execute("select count(*) from landing.cortege_entries").fetchone()[0] == 0
    _nowhere(db)


def test_a_page_whose_every_record_fails_alone_the_same_way_fails_the_batch(
    db: psycopg.Connection, sandbox: Sandbox, refusing
) -> None:
    """Four records of a page, each refused alone with the same error: the cause is outside
    them (a broken trigger, a bad deploy), so none is quarantined and nothing advances the
    watermark."""
    sandbox.replace([fx.march(objet=f"Marche {n} {MARKER}") for n in range(4)])
    refusing("cortege_entries", "objet")

    with pytest.raises(psycopg.errors.InvalidTextRepresentation):
        ingest_cortege(settings=PAGES_OF_4)

    assert db.execute("select count(*) from quarantine.records").fetchone()[0] == 0
    assert db.execute("select count(*) from ops.watermarks where source = 'cortege'").fetchone()[0] == 0


def test_the_quarantined_digest_is_the_records_content(db: psycopg.Connection, sandbox: Sandbox, refusing) -> None:
    """The withheld copy's hash is the record's canonical content: the same record received
    again is the same quarantined row."""
    from tranquillite.ingestion.isolation import content_digest

    poison = fx.march(objet=f"Rassemblement {MARKER}")
    sandbox.replace([fx.march(), poison])
    refusing("cortege_entries", "objet")
    ingest_cortege(settings=PAGES_OF_4)
    ingest_cortege(settings=PAGES_OF_4, full_refresh=True)

    rows = db.execute("select payload_sha256 from quarantine.records").fetchall()
    assert rows == [(content_digest(poison),)]
    assert content_digest(dict(reversed(list(poison.items())))) == content_digest(poison)


@pytest.fixture
def open_data_records() -> list[dict]:
    records = gen.ods_records(12)
    records[7] = {**records[7], "titre": f"Fête {MARKER}"}
    return records


def test_a_feed_record_a_later_step_refuses_is_isolated(
    db: psycopg.Connection, municipal: MunicipalSandbox, open_data_records: list[dict], refusing
) -> None:
    refusing("feed_records", "titre")

    result = ingest_feed("evenements_espace_public")

    status, received, loaded, quarantined, *_ = _ledger(db, result.batch_id)
    assert (status, received, loaded, quarantined) == ("succeeded", 12, 11, 1)
    code, detail, payload = db.execute("select reason_code, reason_detail, payload from quarantine.records").fetchone()
    assert code == "load_failed" and "InvalidTextRepresentation" in detail and payload == {"withheld": "load_failed"}
    landed = {r[0] for r in db.execute("select record_id from raw.feed_records")}
    assert landed == {r["id_evenement"] for n, r in enumerate(open_data_records) if n != 7}
    _nowhere(db)
