"""Cortège into raw and quarantine, against the real sandbox and the real warehouse."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import psycopg
import pytest

from tests.conftest import Sandbox
from tests.fixtures import entries as fx
from tranquillite.compliance.conventions import agreement_of
from tranquillite.core.settings import CORTEGE
from tranquillite.sources.cortege.client import CortegeAuthError
from tranquillite.sources.cortege.ingest import ingest_cortege

SMALL_PAGES = replace(CORTEGE, page_size=7, backoff_base_seconds=0.01)


def counts(db: psycopg.Connection) -> tuple[int, int]:
    raw = db.execute("select count(*) from raw.cortege_entries").fetchone()[0]
    held = db.execute("select count(*) from quarantine.records").fetchone()[0]
    return raw, held


def test_first_pull_lands_everything(db: psycopg.Connection, sandbox: Sandbox) -> None:
    result = ingest_cortege(settings=SMALL_PAGES)
    assert (result.received, result.loaded, result.new_rows, result.quarantined) == (60, 60, 60, 0)
    assert result.pages == 9
    assert counts(db) == (60, 0)
    row = db.execute(
        "select status, received, loaded, quarantined, pages from ops.ingest_batches where batch_id = %s",
        (result.batch_id,),
    ).fetchone()
    assert row == ("succeeded", 60, 60, 0, 9)
    meta = db.execute(
        "select count(distinct batch_id), bool_and(convention_id = %s), bool_and(length(payload_sha256) = 64)"
        " from raw.cortege_entries",
        (agreement_of("cortege").convention_id,),
    ).fetchone()
    assert meta == (1, True, True)


def test_payload_is_kept_as_received(db: psycopg.Connection, sandbox: Sandbox) -> None:
    entry = fx.march()
    sandbox.replace([entry])
    ingest_cortege(settings=SMALL_PAGES)
    stored = db.execute("select payload from raw.cortege_entries").fetchone()[0]
    assert stored == entry


def test_second_pull_adds_nothing_and_asks_from_the_watermark(db: psycopg.Connection, sandbox: Sandbox) -> None:
    first = ingest_cortege(settings=SMALL_PAGES)
    second = ingest_cortege(settings=SMALL_PAGES)
    assert second.new_rows == 0
    assert counts(db) == (60, 0)
    mark = datetime.fromisoformat(first.high_water_mark)
    assert datetime.fromisoformat(second.requested_since) == mark - timedelta(minutes=CORTEGE.lookback_minutes)
    assert 0 < second.received < 60


def test_full_refresh_and_backfill_add_nothing(db: psycopg.Connection, sandbox: Sandbox) -> None:
    ingest_cortege(settings=SMALL_PAGES)
    again = ingest_cortege(settings=SMALL_PAGES, full_refresh=True)
    assert (again.received, again.new_rows) == (60, 0)
    backfill = ingest_cortege(settings=SMALL_PAGES, updated_since=datetime.fromisoformat("2020-01-01T00:00:00+00:00"))
    assert (backfill.received, backfill.new_rows) == (60, 0)
    assert counts(db) == (60, 0)


def test_new_versions_and_cancellations_land_as_new_rows(db: psycopg.Connection, sandbox: Sandbox) -> None:
    entry = fx.visit()
    sandbox.replace([entry])
    ingest_cortege(settings=SMALL_PAGES)
    cancelled = dict(entry, version=2, etat="annulee", updated_at="2026-06-02T10:00:00+02:00")
    sandbox.upsert([cancelled])
    result = ingest_cortege(settings=SMALL_PAGES)
    assert result.new_rows == 1
    rows = db.execute(
        "select entry_version, payload->>'etat' from raw.cortege_entries order by entry_version"
    ).fetchall()
    assert rows == [(1, "active"), (2, "annulee")]


def test_a_page_served_twice_adds_nothing(db: psycopg.Connection, sandbox: Sandbox) -> None:
    sandbox.queue_faults("duplicate_page")
    result = ingest_cortege(settings=SMALL_PAGES)
    assert result.received == 67 and result.loaded == 67 and result.new_rows == 60
    assert counts(db) == (60, 0)


def test_transient_faults_do_not_lose_or_duplicate(db: psycopg.Connection, sandbox: Sandbox) -> None:
    sandbox.queue_faults("429", "500", "drop", "503", retry_after=0)
    result = ingest_cortege(settings=SMALL_PAGES)
    assert result.retries == 4
    assert (result.new_rows, result.quarantined) == (60, 0)


def test_malformed_entries_go_to_quarantine_with_their_reason(db: psycopg.Connection, sandbox: Sandbox) -> None:
    bad = fx.malformed_set()
    good = [fx.march(), fx.gathering(), fx.operation(), fx.visit()]
    sandbox.replace(good + list(bad.values()) + [42])
    result = ingest_cortege(settings=SMALL_PAGES)
    assert result.received == len(good) + len(bad) + 1
    assert result.loaded == len(good)
    assert result.quarantined == len(bad) + 1
    assert result.received == result.loaded + result.quarantined
    reasons = dict(
        db.execute("select record_id, reason_code from quarantine.records where record_id is not null").fetchall()
    )
    for code, entry in bad.items():
        assert reasons.get(entry["id"]) == code, (code, sorted(reasons.values()))
    assert counts(db) == (len(good), len(bad) + 1)
    # nothing malformed reached raw
    assert not db.execute(
        "select 1 from raw.cortege_entries where entry_id = any(%s::uuid[])",
        ([e["id"] for e in bad.values()],),
    ).fetchone()


def test_quarantine_is_idempotent(db: psycopg.Connection, sandbox: Sandbox) -> None:
    sandbox.replace([fx.march(fin="2026-03-07T10:00:00+01:00")])
    first = ingest_cortege(settings=SMALL_PAGES, full_refresh=True)
    second = ingest_cortege(settings=SMALL_PAGES, full_refresh=True)
    assert first.quarantined == second.quarantined == 1
    assert counts(db) == (0, 1)


def test_same_version_with_other_content_is_a_conflict(db: psycopg.Connection, sandbox: Sandbox) -> None:
    entry = fx.march()
    sandbox.replace([entry])
    ingest_cortege(settings=SMALL_PAGES)
    sandbox.replace([dict(entry, objet="Objet modifié sans nouvelle version")])
    result = ingest_cortege(settings=SMALL_PAGES, full_refresh=True)
    assert (result.loaded, result.quarantined, result.reasons) == (0, 1, {"version_conflict": 1})
    assert db.execute("select payload->>'objet' from raw.cortege_entries").fetchone()[0] == entry["objet"]


def test_invalid_text_is_mended_in_quarantine(db: psycopg.Connection, sandbox: Sandbox) -> None:
    entry = fx.march(description="octet nul \u0000 ici")
    sandbox.replace([entry])
    result = ingest_cortege(settings=SMALL_PAGES)
    assert result.reasons == {"invalid_text": 1}
    payload = db.execute("select payload->>'description' from quarantine.records").fetchone()[0]
    assert "\u0000" not in payload and "\ufffd" in payload


def test_refused_token_fails_the_batch_and_lands_nothing(
    db: psycopg.Connection, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AIRFLOW_CONN_CORTEGE", sandbox.conn_json.replace(sandbox.token, "revoked"))
    with pytest.raises(CortegeAuthError):
        ingest_cortege(settings=SMALL_PAGES)
    assert counts(db) == (0, 0)
    status, error = db.execute("select status, error from ops.ingest_batches").fetchone()
    # the ledger names the failure's class and step, never an exception's text
    assert status == "failed" and error.startswith("CortegeAuthError during")
    assert db.execute("select count(*) from ops.watermarks").fetchone()[0] == 0


def test_the_run_ledger_matches_the_tables(db: psycopg.Connection, sandbox: Sandbox) -> None:
    sandbox.upsert([fx.march(fin="2026-03-07T10:00:00+01:00"), fx.march(description="Appeler le 06 12 34 56 78")])
    result = ingest_cortege(settings=SMALL_PAGES, dag_id="cortege_ingest", run_id="r1", task_id="pull_and_land")
    row = db.execute(
        "select dag_id, run_id, task_id, source, received, loaded, quarantined, purged, outcome,"
        " duration_seconds > 0, quarantine_share, masked from ops.pipeline_runs where batch_id = %s",
        (result.batch_id,),
    ).fetchone()
    raw = db.execute("select count(*) from raw.cortege_entries where batch_id = %s", (result.batch_id,)).fetchone()[0]
    held = db.execute("select count(*) from quarantine.records where batch_id = %s", (result.batch_id,)).fetchone()[0]
    assert row[:4] == ("cortege_ingest", "r1", "pull_and_land", "cortege")
    assert row[4:9] == (62, raw, held, 0, "succeeded")
    # the entry ending before it starts is quarantined; the one with a phone lands masked
    assert row[9] is True and float(row[10]) == round(1 / 62, 4) and row[11] == 1
