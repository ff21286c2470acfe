"""Checks that a batch did what its ledger says, recounted from the tables."""

from __future__ import annotations

import logging

from tranquillite.core import settings
from tranquillite.core.settings import LOADER_CONN_ID
from tranquillite.warehouse import connect

log = logging.getLogger(__name__)


class BatchCheckError(RuntimeError):
    pass


def verify_batch(batch_id: str) -> dict:
    with connect(LOADER_CONN_ID) as conn:
        row = conn.execute(
            "select source, status, received, loaded, new_rows, quarantined from ops.ingest_batches"
            " where batch_id = %s",
            (batch_id,),
        ).fetchone()
        if row is None:
            raise BatchCheckError(f"batch {batch_id} is not in ops.ingest_batches")
        source, status, received, loaded, new_rows, quarantined = row
        # the rows a batch added to raw carry its id (a content received again keeps its first
        # batch's); a batch id is unique, so counting it in every raw table needs no source name
        landed = conn.execute(
            "select (select count(*) from raw.cortege_entries where batch_id = %(b)s)"
            " + (select count(*) from raw.feed_records where batch_id = %(b)s)",
            {"b": batch_id},
        ).fetchone()[0]
    problems = []
    if status != "succeeded":
        problems.append(f"status is {status}")
    if received != loaded + quarantined:
        problems.append(f"received {received} != loaded {loaded} + quarantined {quarantined}")
    if landed != new_rows:
        problems.append(f"ledger says {new_rows} new rows, raw holds {landed} for this batch")
    if problems:
        raise BatchCheckError(f"batch {batch_id}: " + "; ".join(problems))
    counts = {"received": received, "loaded": loaded, "new_rows": new_rows, "quarantined": quarantined}
    log.info("batch %s balanced: %s", batch_id, counts)
    return {"batch_id": batch_id, **counts}


def quarantine_share_alert(counts: dict) -> str | None:
    """A message when the batch quarantined more than TRQ_QUARANTINE_ALERT_SHARE of what it
    received (default 0.2), once it received at least TRQ_QUARANTINE_ALERT_MIN records (10)."""

    share, minimum = settings.quarantine_alert()
    received, quarantined = counts["received"], counts["quarantined"]
    if received >= minimum and quarantined / received > share:
        return (
            f"batch {counts['batch_id']}: {quarantined} of {received} records quarantined "
            f"({quarantined / received:.0%} > {share:.0%})"
        )
    return None


def check_batch_and_alert(context, batch_id: str, source: str, title: str) -> dict:
    """The `check_balance` task of every ingestion DAG: recount the batch from the tables (the
    ledger must match them), and alert when it quarantined more than usual."""
    from tranquillite.airflow.alerts import send_alert

    counts = verify_batch(batch_id)
    alert = quarantine_share_alert(counts)
    if alert:
        send_alert(context, "quarantine_share", f"{title} : quarantaine élevée", alert, source=source, **counts)
    return counts
