"""The append-only trails (issue 18): no run-time role can rewrite or erase a line of any of
them, whatever its grants on the schema; each role connects for real and tries."""

from __future__ import annotations

import psycopg
import pytest
from psycopg import sql

from tests.conftest import TLS, role_url

# trail -> a column every line has, set to itself: the mildest rewrite there is
TRAILS = {
    ("compliance", "convention_log"): "event",
    ("compliance", "purge_log"): "approved_by",
    ("compliance", "purge_approvals"): "approved_by",
    ("governance", "schema_change_log"): "event",
    ("access", "habilitation_log"): "event",
    # not a trail, but read-only all the same: a view over quarantine.records
    ("ops", "held_versions"): "reason_code",
}
RUNTIME_ROLES = ("loader", "transformer", "compliance", "access_admin", "bi_reader")


@pytest.mark.parametrize("role", RUNTIME_ROLES)
def test_no_run_time_role_rewrites_or_erases_a_trail(warehouse_url: str, role: str) -> None:
    # the privilege itself: a trigger's refusal would hide a missing REVOKE
    refused = (psycopg.errors.InsufficientPrivilege, psycopg.errors.WrongObjectType)  # a view cannot be truncated
    allowed = []
    with psycopg.connect(role_url(role), **TLS) as conn:
        for (schema, table), column in TRAILS.items():
            ident = sql.Identifier(schema, table)
            for verb, statement in (
                (
                    "update",
                    sql.SQL("update {} set {} = {}").format(ident, sql.Identifier(column), sql.Identifier(column)),
                ),
                ("delete", sql.SQL("delete from {}").format(ident)),
                ("truncate", sql.SQL("truncate {}").format(ident)),
            ):
                try:
                    with conn.transaction(force_rollback=True):
                        conn.execute(statement)
                except refused:
                    continue
                allowed.append(f"{verb} {schema}.{table}")
    assert allowed == []
