"""Destroy every copy of one agreement's data, then prove it (convention, article 9).

The places are discovered, not listed: every stored relation of the warehouse either
carries a `convention_id*` column (the purge deletes by it, or drops the agreement's
partition) or is on the reviewed list `compliance/residue_exceptions.yml` with its
reason and how the purge treats it. A relation that is neither stops the purge
before anything is deleted. Outside the warehouse: Great Expectations' results and
Data Docs, the files the platform writes (map, lineage, landing folders), and
Airflow's task logs and XComs.

Verification samples values of the agreement's data before the destruction (ids,
content hashes, distinctive strings that no other agreement's data contains) and
searches them everywhere afterwards. They are never logged or returned; a purge run
for a request keeps them in `compliance.purge_samples` from before the destruction
until its certification, so that a retry verifies against the same samples, and a
purge whose samples are gone refuses to call itself verified.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

import psycopg

from tranquillite.compliance.purge.airflow_side import (
    destroy_gx,
    destroy_landing_files,
    destroy_task_logs,
    destroy_xcoms,
    ingest_dag_ids,
    metadata_dsn,
    verify_files,
    verify_xcoms,
    written_places,
)
from tranquillite.compliance.purge.destruction import destroy_warehouse, preview, preview_markdown, vacuum
from tranquillite.compliance.purge.scope import (
    Check,
    Destroyed,
    PurgeError,
    Relation,
    Scope,
    _samples,
    discard_samples,
    discover,
    plan_scope,
)
from tranquillite.compliance.purge.verification import verify

__all__ = [
    "Check",
    "Destroyed",
    "PurgeError",
    "PurgeOutcome",
    "Relation",
    "Scope",
    "_samples",
    "destroy_gx",
    "destroy_landing_files",
    "destroy_task_logs",
    "destroy_warehouse",
    "destroy_xcoms",
    "discard_samples",
    "discover",
    "ingest_dag_ids",
    "metadata_dsn",
    "plan_scope",
    "preview",
    "preview_markdown",
    "purge",
    "rebuild_marts",
    "vacuum",
    "verify",
    "verify_files",
    "verify_xcoms",
    "written_places",
]

log = logging.getLogger(__name__)

# ---------------------------------------------------------------- the whole destruction


@dataclass
class PurgeOutcome:
    convention_id: str
    started_at: str
    finished_at: str
    scope: dict[str, Any]
    destroyed: list[Destroyed]
    vacuumed: list[str]
    rebuilt: bool
    checks: list[Check]
    # seconds by phase: what an officer waiting on a large purge is waiting for
    phases: dict[str, float]

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)

    @property
    def deletion_seconds(self) -> float:
        """The warehouse deletion alone, which the certificate states."""
        return self.phases["warehouse deletion"]

    def as_dict(self) -> dict[str, Any]:
        return {
            "convention_id": self.convention_id,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "deletion_seconds": round(self.deletion_seconds, 3),
            "scope": self.scope,
            "destroyed": [asdict(d) for d in self.destroyed],
            "vacuumed": self.vacuumed,
            "rebuilt": self.rebuilt,
            "verification": {"passed": self.passed, "checks": [asdict(c) for c in self.checks]},
            "phases": {k: round(v, 3) for k, v in self.phases.items()},
        }


def rebuild_marts() -> None:
    """Rebuild every model from what remains (the aggregates over all agreements)."""
    from tranquillite.core.dbt_cli import run

    if run(["build", "--quiet"]) != 0:
        raise PurgeError("dbt build after the destruction failed: see the task log")


@contextmanager
def _timed(phases: dict[str, float], name: str) -> Iterator[None]:
    t0 = time.perf_counter()
    yield
    phases[name] = time.perf_counter() - t0


def purge(
    conn: psycopg.Connection, convention_id: str, *, purge_id: int | None = None, rebuild: bool = True
) -> PurgeOutcome:
    """Destroy every copy of the agreement's data, rebuild the rest, verify; never raises on a
    residue (the outcome says it), raises when the purge cannot start. With the request's
    `purge_id`, every phase may run again: the samples are those of the first attempt."""
    started = datetime.now(UTC)
    phases: dict[str, float] = {}
    with _timed(phases, "scope and samples"):
        scope = plan_scope(conn, convention_id, purge_id=purge_id)  # refuses an unknown agreement
    with _timed(phases, "warehouse deletion"):
        destroyed, to_vacuum = destroy_warehouse(conn, scope)
    log.info("%s: warehouse destruction took %.3f s", convention_id, phases["warehouse deletion"])
    with _timed(phases, "vacuum, GX, landing files, XComs"):
        vacuumed = vacuum(to_vacuum)
        destroyed += destroy_gx(scope) + destroy_landing_files(scope) + destroy_xcoms(scope)
    if rebuild:
        with _timed(phases, "rebuild and map"):
            rebuild_marts()
            _rewrite_map()
    with _timed(phases, "task logs and verification"):
        destroyed += destroy_task_logs(scope)
        checks = verify(conn, scope)
    outcome = PurgeOutcome(
        convention_id,
        started.isoformat(timespec="seconds"),
        datetime.now(UTC).isoformat(timespec="seconds"),
        scope.summary(),
        destroyed,
        vacuumed,
        rebuild,
        checks,
        phases,
    )
    if outcome.passed:
        conn.execute(
            "update compliance.conventions set status = 'purged', updated_at = now() where convention_id = %s",
            (convention_id,),
        )
    scope.samples.clear()
    return outcome


def _rewrite_map() -> None:
    """The map's files list events: drawn again from the rebuilt marts."""
    from tranquillite.tension.map import map_dir, write_map

    if (map_dir() / "tension_map.html").exists():
        write_map()
