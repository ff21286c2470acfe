"""One ingestion run per source at a time, whoever starts it (the scheduler, `make dag`, a
replay): a lock in the warehouse, since Airflow's `max_active_runs` binds only its own runs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg


class SourceBusyError(RuntimeError):
    """Another run of the same source holds its lock: this one does nothing."""


@contextmanager
def source_lock(conn: psycopg.Connection, source: str) -> Iterator[None]:
    """Hold the source's advisory lock for the block; refuse at once if it is taken. The lock
    is the connection's: a run that dies loses it with its connection."""
    key = f"tranquillite.ingest:{source}"
    taken = conn.execute("select pg_try_advisory_lock(hashtextextended(%s, 0))", (key,)).fetchone()[0]
    if not taken:
        raise SourceBusyError(f"another ingestion run of {source} is in progress: this one did nothing")
    try:
        yield
    finally:
        if not conn.closed:
            conn.execute("select pg_advisory_unlock(hashtextextended(%s, 0))", (key,))
