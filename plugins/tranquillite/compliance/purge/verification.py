"""The proof: the agreement's sampled values searched for everywhere once it is destroyed."""

from __future__ import annotations

import logging

import psycopg

from tranquillite.compliance.purge.airflow_side import verify_files, verify_xcoms
from tranquillite.compliance.purge.destruction import _agreement_rows, _partition_bound
from tranquillite.compliance.purge.scope import SAMPLES_TABLE, Check, Scope, coverage_problems, discover, exceptions
from tranquillite.compliance.residue import find_residue

log = logging.getLogger(__name__)

# ---------------------------------------------------------------- verification


def verify(conn: psycopg.Connection, scope: Scope) -> list[Check]:
    """Zero rows of the agreement anywhere, no sample value in any text column or written file."""
    listed = exceptions()
    relations = discover(conn)
    checks: list[Check] = []
    for problem in coverage_problems(relations, listed):
        checks.append(Check("warehouse", "coverage", False, problem))
    for rel, label, n in _agreement_rows(conn, relations, listed, scope):
        checks.append(Check(rel.qualified, label, n == 0, f"{n} row(s)"))
    leftover = conn.execute(
        "select count(*) from pg_inherits i join pg_class c on c.oid = i.inhrelid"
        " where pg_get_expr(c.relpartbound, c.oid) = %s",
        (_partition_bound(scope.convention_id),),
    ).fetchone()[0]
    checks.append(Check("warehouse", "partitions of the agreement", leftover == 0, f"{leftover} partition(s)"))
    if scope.sampling_problem:
        checks.append(Check("warehouse", "verification samples", False, scope.sampling_problem))
    residues = find_residue(conn, scope.samples, stored_only=True, skip=frozenset({SAMPLES_TABLE}))
    for r in residues:
        checks.append(Check(f"{r.schema}.{r.table}.{r.column}", "sample values", False, f"{r.rows} row(s) hold one"))
    checks.append(
        Check(
            "warehouse", "sample values in every text and jsonb column", not residues, f"{len(scope.samples)} sampled"
        )
    )
    return checks + verify_xcoms(scope) + verify_files(scope)
