"""Pull Cortège into the warehouse: one batch, page by page, through the gate.

The high-water mark is the latest `updated_at` received; the next pull asks
again from a few minutes before it (the contract's clock advice) and relies on
(id, version) to drop what is already held.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from tranquillite import landing
from tranquillite.connections import get_conn
from tranquillite.contract import parse_datetime
from tranquillite.cortege_client import CortegeClient
from tranquillite.gate import judge_entries
from tranquillite.settings import CORTEGE, CORTEGE_CONN_ID, WAREHOUSE_CONN_ID, CortegeSettings
from tranquillite.warehouse import connect, ensure_migrated

log = logging.getLogger(__name__)


@dataclass
class IngestResult:
    batch_id: str
    requested_since: str | None
    received: int
    loaded: int
    new_rows: int
    quarantined: int
    pages: int
    retries: int
    reasons: dict
    high_water_mark: str | None
    data_docs: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def _updated_at(entry: object) -> datetime | None:
    if isinstance(entry, dict) and isinstance(entry.get("updated_at"), str):
        try:
            return parse_datetime(entry["updated_at"])
        except ValueError:
            return None
    return None


def validate_batch(batch_id: str, *, run_name: str | None = None):
    """Great Expectations on the whole batch, in the warehouse (imported here: GX is slow to import)."""
    from tranquillite.validation import validate_cortege_batch

    return validate_cortege_batch(batch_id, run_name=run_name)


def ingest_cortege(
    *,
    updated_since: datetime | None = None,
    full_refresh: bool = False,
    dag_id: str | None = None,
    run_id: str | None = None,
    cortege_conn_id: str = CORTEGE_CONN_ID,
    warehouse_conn_id: str = WAREHOUSE_CONN_ID,
    settings: CortegeSettings = CORTEGE,
) -> IngestResult:
    client = CortegeClient(get_conn(cortege_conn_id), settings)
    with connect(warehouse_conn_id, autocommit=True) as conn:
        ensure_migrated(conn)
        if updated_since is None and not full_refresh:
            mark = landing.read_watermark(conn, settings.source)
            if mark is not None:
                updated_since = mark - timedelta(minutes=settings.lookback_minutes)
        batch = landing.Batch(
            conn,
            settings.source,
            settings.convention_id,
            dag_id=dag_id,
            run_id=run_id,
            requested_since=updated_since,
        )
        high_water: datetime | None = None
        try:
            for page in client.iter_pages(updated_since):
                received_at = landing.utcnow()
                with conn.transaction():
                    judged = judge_entries(conn, page.entries)
                    counts = landing.land_cortege_page(batch, judged, received_at)
                for entry in page.entries:
                    moment = _updated_at(entry)
                    if moment is not None and (high_water is None or moment > high_water):
                        high_water = moment
                log.info(
                    "page %d: received %d, loaded %d (new %d), quarantined %d %s",
                    page.number,
                    counts.received,
                    counts.loaded,
                    counts.new_rows,
                    counts.quarantined,
                    counts.reasons or "",
                )
            validation = validate_batch(str(batch.batch_id), run_name=run_id)
            landing.promote_cortege_batch(batch, validation.rejected, landing.utcnow())
            total = batch.finish(high_water)
        except BaseException as exc:
            batch.fail(f"{type(exc).__name__}: {exc}")
            landing.discard_landing(conn, batch.batch_id)
            raise
    return IngestResult(
        batch_id=str(batch.batch_id),
        requested_since=updated_since.isoformat() if updated_since else None,
        received=total.received,
        loaded=total.loaded,
        new_rows=total.new_rows,
        quarantined=total.quarantined,
        pages=total.pages,
        retries=client.retries,
        reasons=total.reasons,
        high_water_mark=high_water.isoformat() if high_water else None,
        data_docs=validation.data_docs,
    )
