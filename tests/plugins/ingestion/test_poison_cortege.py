"""One poisoned entry among good ones, through the real sandbox, gate, landing, GX and raw:
it is quarantined with its reason (or normalised and loaded where the contract allows it),
the rest of the batch lands, and the next pull still lands fresh entries."""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from tests.conftest import Sandbox
from tests.fixtures import entries as fx
from tranquillite.core.settings import CORTEGE
from tranquillite.ingestion.contract import rfc3339
from tranquillite.sources.cortege.ingest import ingest_cortege

SMALL_PAGES = replace(CORTEGE, page_size=7, backoff_base_seconds=0.01)


def _z_route(entry: dict) -> dict:
    entry["trace"] = {
        "type": "LineString",
        "coordinates": [[lon, lat, 12.5] for lon, lat in entry["trace"]["coordinates"]],
    }
    return entry


def _open_ring() -> dict:
    entry = fx.gathering()
    ring = [[5.37, 43.29], [5.38, 43.29], [5.38, 43.30], [5.37, 43.30]]
    entry["emprise"] = {"type": "Polygon", "coordinates": [ring]}
    return entry


# (name, entry, expected reason code or None when it must load)
POISONS = [
    ("3-D positions", lambda: _z_route(fx.march()), None),
    ("version written 2.0", lambda: fx.march(version=2.0), None),
    ("count written 1.0", lambda: fx.march(nb_personnes_attendues=1.0), None),
    ("unclosed ring", _open_ring, None),
    ("version past int4", lambda: fx.march(version=2**31), "out_of_range"),
    ("count 1e20", lambda: fx.march(nb_personnes_attendues=1e20), "out_of_range"),
    ("count past bigint", lambda: fx.march(nb_personnes_attendues=2**70), "out_of_range"),
    ("text of 1.2 M characters", lambda: fx.march(description="a" * 1_200_000), "too_large"),
    ("unknown field of 1.2 M characters", lambda: fx.march(note="b" * 1_200_000), "too_large"),
    ("nesting 900 deep", lambda: fx.march(annexe=fx.nested(900)), "too_deep"),
    ("array of 200,000 items", lambda: fx.march(annexe=list(range(200_000))), "too_large"),
    ("year 9999 with a negative offset", lambda: fx.march(fin="9999-12-31T23:30:00-05:00"), "invalid_datetime"),
    ("updated_at in 2999", lambda: fx.march(updated_at="2999-01-01T00:00:00+00:00"), "updated_at_in_future"),
]


def test_each_poisoned_entry_is_judged_alone(db: psycopg.Connection, sandbox: Sandbox) -> None:
    """Every poison at once among good entries, in pages of 7: each is quarantined with its
    own reason (or loaded where the contract allows it), the good ones all land, and the
    next pull still lands a fresh entry."""
    good = [fx.march(), fx.gathering(), fx.operation(), fx.visit()]
    poisons = {name: (make(), reason) for name, make, reason in POISONS}
    sandbox.replace([*good, *(entry for entry, _ in poisons.values())])

    result = ingest_cortege(settings=SMALL_PAGES)

    assert result.received == len(good) + len(poisons)
    assert result.received == result.loaded + result.quarantined
    loaded = {r[0] for r in db.execute("select entry_id::text from raw.cortege_entries")}
    assert {e["id"] for e in good} <= loaded
    held = {r[0]: r[1:] for r in db.execute("select record_id, reason_code, reason_detail from quarantine.records")}
    for name, (entry, reason) in poisons.items():
        if reason is None:
            assert entry["id"] in loaded and entry["id"] not in held, name
        else:
            assert entry["id"] not in loaded, name
            code, detail = held[entry["id"]]
            assert code == reason, name
            assert len(detail) < 300, name  # the rule and the path, not the value
    assert sum(1 for _, reason in poisons.values() if reason) == result.quarantined

    # the source is not stalled: a fresh entry published after the poisons lands on the next pull
    now = rfc3339(datetime.now(UTC) - timedelta(seconds=30))
    fresh = fx.visit(updated_at=now, created_at=now)
    sandbox.upsert([fresh])
    again = ingest_cortege(settings=SMALL_PAGES)
    assert again.received == again.loaded + again.quarantined
    assert db.execute("select count(*) from raw.cortege_entries where entry_id = %s", (fresh["id"],)).fetchone()[0] == 1


def test_a_flattened_route_lands_two_dimensional(db: psycopg.Connection, sandbox: Sandbox) -> None:
    entry = _z_route(fx.march())
    sandbox.replace([entry])
    ingest_cortege(settings=SMALL_PAGES)
    coords = db.execute("select payload -> 'trace' -> 'coordinates' from raw.cortege_entries").fetchone()[0]
    assert coords == [pair[:2] for pair in entry["trace"]["coordinates"]]


def test_a_future_updated_at_does_not_freeze_the_watermark(db: psycopg.Connection, sandbox: Sandbox) -> None:
    sandbox.replace([fx.march(updated_at="2999-01-01T00:00:00+00:00"), fx.march()])
    first = ingest_cortege(settings=SMALL_PAGES)
    mark = db.execute("select high_water_mark from ops.watermarks where source = 'cortege'").fetchone()[0]
    assert mark.year < 2999
    assert first.high_water_mark is None or first.high_water_mark < "2999"


def test_the_same_version_with_other_content_is_quarantined_not_dropped(
    db: psycopg.Connection, sandbox: Sandbox
) -> None:
    entry = fx.march()
    sandbox.replace([entry])
    ingest_cortege(settings=SMALL_PAGES)
    changed = copy.deepcopy(entry)
    changed["objet"] = "Autre objet"
    sandbox.replace([changed])
    result = ingest_cortege(settings=SMALL_PAGES, full_refresh=True)
    assert result.reasons == {"version_conflict": 1}


def test_field_names_with_quotes_backslashes_and_accents_go_through_approval_and_replay(
    db: psycopg.Connection, sandbox: Sandbox
) -> None:
    from tranquillite.ingestion import governance
    from tranquillite.sources.cortege.ingest import replay_held

    db.execute("truncate governance.schema_changes, governance.schema_change_log cascade")
    db.execute("insert into governance.dpo_users (login) values ('DPO') on conflict do nothing")
    key = "réf'\"\\x"
    entry = fx.visit(**{key: "ABC-12"})
    sandbox.replace([entry, fx.march()])
    first = ingest_cortege(settings=SMALL_PAGES)
    assert first.reasons == {"schema_drift": 1}
    detail, signatures = db.execute("select reason_detail, drift_signatures from quarantine.records").fetchone()
    assert key not in detail  # an unknown key is named by its hash in the reason
    (signature,) = signatures
    change_id = db.execute("select change_id from governance.schema_changes where signature = %s", (signature,))
    governance.decide(db, change_id.fetchone()[0], approve=True, decided_by="DPO", impact_study_ref="EIPD-9")

    replayed = replay_held(settings=SMALL_PAGES)
    assert (replayed.received, replayed.loaded, replayed.quarantined) == (1, 1, 0)
    stored = db.execute("select payload from raw.cortege_entries where entry_id = %s", (entry["id"],)).fetchone()[0]
    assert stored[key] == "ABC-12"
    assert db.execute("select status from quarantine.records").fetchone()[0] == "replayed"


def test_a_field_name_with_a_nul_is_quarantined_not_a_failed_batch(db: psycopg.Connection, sandbox: Sandbox) -> None:
    sandbox.replace([fx.visit(**{"a\x00b": "x"}), fx.march()])
    result = ingest_cortege(settings=SMALL_PAGES)
    assert (result.received, result.loaded, result.quarantined) == (2, 1, 1)
    assert result.reasons == {"invalid_text": 1}


def test_one_run_per_source_whoever_starts_it(db: psycopg.Connection, sandbox: Sandbox, warehouse_url: str) -> None:
    from tranquillite.ingestion.lock import SourceBusyError, source_lock

    with psycopg.connect(warehouse_url, autocommit=True) as other, source_lock(other, "cortege"):
        with pytest.raises(SourceBusyError, match="another ingestion run of cortege"):
            ingest_cortege(settings=SMALL_PAGES)
        assert db.execute("select count(*) from ops.ingest_batches").fetchone()[0] == 0
    assert ingest_cortege(settings=SMALL_PAGES).received == 60


def test_an_entry_nested_past_any_parser_is_quarantined_and_its_page_lands(
    db: psycopg.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    """5,000 levels: Python's json gives up on the whole page (RecursionError), which once
    failed every retry of it. The page is read with that entry cut, and the gate judges it."""
    import json

    from tests.fixtures.hostile import HostileCortege

    good = [fx.march(objet='Marche [pour] {le} "climat"'), fx.gathering(), fx.operation(), fx.visit()]
    deep = fx.march()
    deep_text = json.dumps({**deep, "annexe": "@"}).replace('"@"', '{"n": ' * 5000 + "1" + "}" * 5000)
    page = '{"entries": [' + ", ".join([*(json.dumps(e) for e in good), deep_text]) + '], "next_cursor": null}'
    box = HostileCortege(page.encode())
    monkeypatch.setenv("AIRFLOW_CONN_CORTEGE", box.conn_json)
    try:
        result = ingest_cortege(settings=SMALL_PAGES)
    finally:
        box.close()
    assert result.reasons == {"too_deep": 1}
    assert (result.received, result.loaded, result.quarantined) == (5, 4, 1)
    assert db.execute("select record_id, reason_code from quarantine.records").fetchall() == [(deep["id"], "too_deep")]
    titles = {r[0] for r in db.execute("select payload->>'objet' from raw.cortege_entries")}
    assert good[0]["objet"] in titles, "the other entries are read as they came"


def test_a_pull_stopped_at_a_cursor_loop_says_so_in_its_ledger(
    db: psycopg.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A next_cursor already followed ends the pull with what it landed; the run, its XCom and
    the ledger say why it stopped early, instead of a warning only a task log holds."""
    import json

    from tests.fixtures.hostile import HostileCortege

    entries = [fx.march(), fx.gathering()]
    box = HostileCortege(json.dumps({"entries": entries, "next_cursor": "again"}).encode())
    monkeypatch.setenv("AIRFLOW_CONN_CORTEGE", box.conn_json)
    try:
        result = ingest_cortege(settings=SMALL_PAGES)
    finally:
        box.close()
    assert result.stopped_early == "cursor_cycle" and result.pages == 2
    ledger = db.execute("select status, stopped_early from ops.ingest_batches where batch_id = %s", (result.batch_id,))
    assert ledger.fetchone() == ("succeeded", "cursor_cycle")
    assert {r[0] for r in db.execute("select entry_id::text from raw.cortege_entries")} == {e["id"] for e in entries}
