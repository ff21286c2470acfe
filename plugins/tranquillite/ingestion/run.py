"""One entry point for one ingestion run of any source: Cortège's HTTP cursor API, or a
municipal feed named by its configuration. The DAG factory, the benchmark and the scripts
all call this, so that a source is chosen by its name and nothing else."""

from __future__ import annotations

from datetime import datetime

from tranquillite.ingestion.landing import BatchResult

CORTEGE = "cortege"


def ingest(
    source: str,
    *,
    updated_since: datetime | None = None,
    full_refresh: bool = False,
    dag_id: str | None = None,
    run_id: str | None = None,
    task_id: str | None = None,
) -> BatchResult:
    """Pull `source` once into the warehouse through the gate; its batch's ledger counts."""
    where = {"dag_id": dag_id, "run_id": run_id, "task_id": task_id}
    if source == CORTEGE:
        from tranquillite.sources.cortege.ingest import ingest_cortege

        return ingest_cortege(updated_since=updated_since, full_refresh=full_refresh, **where)
    from tranquillite.sources.feeds.ingest import ingest_feed

    return ingest_feed(source, updated_since=updated_since, full_refresh=full_refresh, **where)


def replay(source: str, *, dag_id: str | None = None, run_id: str | None = None) -> BatchResult:
    """Replay `source`'s records held for drift the DPO has now approved."""
    if source == CORTEGE:
        from tranquillite.sources.cortege.ingest import replay_held

        return replay_held(dag_id=dag_id, run_id=run_id)
    from tranquillite.sources.feeds.ingest import replay_held_feed

    return replay_held_feed(source, dag_id=dag_id, run_id=run_id)


def not_retried() -> tuple[type[BaseException], ...]:
    """Failures a retry cannot fix: refused credentials, a refused request, an unreadable
    file. Imported when a task fails, not when a DAG file is parsed."""
    from tranquillite.core.http import HttpAuthError, HttpRequestError
    from tranquillite.sources.cortege.client import CortegeAuthError, CortegeRequestError
    from tranquillite.sources.feeds.transports import FeedError

    return (CortegeAuthError, CortegeRequestError, HttpAuthError, HttpRequestError, FeedError)
