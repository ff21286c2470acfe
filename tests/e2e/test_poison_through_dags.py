"""Every poison kind of issue 20 at once, planted in the sandboxes and pulled by the real
ingestion DAGs through `make dag`: each is quarantined with its reason, or normalised and
loaded where the contract allows it; the rest of each batch lands; `warehouse_build` then
succeeds and shows the loaded ones. That the next pull still lands fresh records is shown
in tests/plugins/ingestion/test_poison_*.py, through the same ingestion."""

from __future__ import annotations

import os

import psycopg
import pytest

from sandbox import feeds_generator as gen
from tests.conftest import MunicipalSandbox, Sandbox
from tests.e2e.helpers import make_dag
from tests.fixtures import entries as fx
from tests.plugins.ingestion.test_poison_cortege import POISONS
from tests.plugins.ingestion.test_poison_feeds import ODS_POISONS
from tranquillite.ingestion.landing import hashed_id

pytestmark = pytest.mark.slow


def _ledger(db: psycopg.Connection, source: str) -> tuple:
    return db.execute(
        "select status, received, loaded, quarantined from ops.ingest_batches where source = %s"
        " order by started_at desc limit 1",
        (source,),
    ).fetchone()


def test_every_poison_through_the_dags_then_the_build(
    db: psycopg.Connection, sandbox: Sandbox, municipal: MunicipalSandbox
) -> None:
    good = [fx.march(), fx.gathering(), fx.operation(), fx.visit()]
    poisons = {name: (make(), reason) for name, make, reason in POISONS}
    sandbox.replace([*good, *(entry for entry, _ in poisons.values())])
    records = gen.ods_records(len(ODS_POISONS) + 5)
    feed_poisons = {
        name: (poison(record), reason) for (name, poison, reason), record in zip(ODS_POISONS, records, strict=False)
    }
    feed_good = records[len(ODS_POISONS) :]
    municipal.post("/_sandbox/records", {"records": [*(r for r, _ in feed_poisons.values()), *feed_good]})
    env = dict(os.environ, AIRFLOW_CONN_CORTEGE=sandbox.conn_json)

    make_dag("cortege_ingest", env)
    make_dag("evenements_espace_public_ingest", env)

    assert _ledger(db, "cortege") == ("succeeded", len(good) + len(poisons), *_split(poisons, len(good)))
    assert _ledger(db, "evenements_espace_public") == (
        "succeeded",
        len(records),
        *_split(feed_poisons, len(feed_good)),
    )
    held = dict(db.execute("select record_id, reason_code from quarantine.records").fetchall())
    for name, (entry, reason) in poisons.items():
        assert held.get(entry["id"]) == reason, name
    for name, (record, reason) in feed_poisons.items():
        assert held.get(hashed_id(str(record["id_evenement"]))) == reason, name

    make_dag("warehouse_build", env)

    shown = {r[0] for r in db.execute("select source_record_id from marts.fct_events")}
    loaded = {e["id"] for e in good} | {e["id"] for e, reason in poisons.values() if reason is None}
    loaded_feed = {str(r["id_evenement"]) for r in feed_good} | {
        str(r["id_evenement"]) for r, reason in feed_poisons.values() if reason is None
    }
    assert loaded | loaded_feed <= shown
    assert not {e["id"] for e, reason in poisons.values() if reason is not None} & shown
    flat = db.execute("select bool_and(st_ndims(geom) = 2) from marts.fct_events where geom is not null").fetchone()
    assert flat == (True,)


def _split(poisons: dict, good: int) -> tuple[int, int]:
    """(loaded, quarantined) of a batch of `good` records and these poisons."""
    refused = sum(1 for _, reason in poisons.values() if reason is not None)
    return good + len(poisons) - refused, refused
