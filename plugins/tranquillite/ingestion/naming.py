"""The names a source gets outside the warehouse: one place, so that the DAG files, `make run`
and the purge (which deletes a source's task logs and XComs by DAG id) cannot disagree."""

from __future__ import annotations


def ingest_dag_id(source: str) -> str:
    """The DAG that pulls `source`: `cortege_ingest`, `travaux_voirie_ingest`, ..."""
    return f"{source}_ingest"
