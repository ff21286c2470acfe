"""The warehouse: connections and the project's own migrations.

Migrations are plain SQL files in `migrations/`, applied in name order, each in
its own transaction and recorded in `ops.schema_migrations`, so that a task can
call `ensure_migrated()` cheaply at every run against any warehouse.

CLI: `python -m tranquillite.warehouse migrate|dsn|url`.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg import sql

from tranquillite.connections import Conn, get_conn, postgres_conninfo, redacted_dsn
from tranquillite.settings import (
    ACCESS_CONN_ID,
    COMPLIANCE_CONN_ID,
    LOADER_CONN_ID,
    MIGRATIONS_DIR,
    TRANSFORMER_CONN_ID,
    WAREHOUSE_CONN_ID,
)

log = logging.getLogger(__name__)


def warehouse_conn(conn_id: str = WAREHOUSE_CONN_ID) -> Conn:
    return get_conn(conn_id)


@contextmanager
def connect(conn_id: str = WAREHOUSE_CONN_ID, *, autocommit: bool = True) -> Iterator[psycopg.Connection]:
    conn = psycopg.connect(**postgres_conninfo(warehouse_conn(conn_id)), autocommit=autocommit)
    try:
        yield conn
    finally:
        conn.close()


def _migrations() -> list[tuple[str, str]]:
    return [(p.name, p.read_text(encoding="utf-8")) for p in sorted(MIGRATIONS_DIR.glob("*.sql"))]


class MigrationsPendingError(RuntimeError):
    """A run-time role found migrations to apply: only the owner applies them (at set-up)."""


def _is_owner(conn: psycopg.Connection) -> bool:
    row = conn.execute(
        "select pg_has_role(current_user, d.datdba, 'USAGE') from pg_database as d where d.datname = current_database()"
    ).fetchone()
    return bool(row and row[0])


def ensure_migrated(conn: psycopg.Connection) -> list[str]:
    """Apply the migrations that this warehouse has not seen; returns their names.

    As a run-time role (loader, transformer...), only check: those roles cannot
    and must not change the schema, so a pending migration is an error that says
    to run the set-up."""
    if not _is_owner(conn):
        known = {p for p, _ in _migrations()}
        try:
            done = {r[0] for r in conn.execute("select name from ops.schema_migrations")}
        except psycopg.errors.Error as exc:
            raise MigrationsPendingError(
                f"the warehouse is not set up ({type(exc).__name__}): run `make setup`"
            ) from None
        pending = sorted(known - done)
        if pending:
            raise MigrationsPendingError(
                f"{len(pending)} migration(s) not applied ({', '.join(pending)}): run `make setup` as the owner"
            )
        return []
    applied: list[str] = []
    with conn.transaction():
        conn.execute("create schema if not exists ops")
        conn.execute(
            "create table if not exists ops.schema_migrations ("
            " name text primary key, sha256 text not null, applied_at timestamptz not null default now())"
        )
    done = {r[0]: r[1] for r in conn.execute("select name, sha256 from ops.schema_migrations")}
    for name, script in _migrations():
        digest = hashlib.sha256(script.encode()).hexdigest()
        if name in done:
            if done[name] != digest:
                log.warning("migration %s changed after it was applied; write a new migration instead", name)
            continue
        with conn.transaction():
            # one migration at a time, even with several workers starting together
            conn.execute("select pg_advisory_xact_lock(hashtext('tranquillite.migrations'))")
            if conn.execute("select 1 from ops.schema_migrations where name = %s", (name,)).fetchone():
                continue
            conn.execute(script)
            conn.execute("insert into ops.schema_migrations (name, sha256) values (%s, %s)", (name, digest))
        applied.append(name)
        log.info("applied migration %s", name)
    from tranquillite.access import register_identities
    from tranquillite.compliance.approvals import register_officers
    from tranquillite.compliance.conventions import register_retention, seed
    from tranquillite.governance import register_dpo_users

    seed(conn)
    register_retention(conn)
    register_officers(conn)
    register_dpo_users(conn)
    register_identities(conn)
    return applied


def register_logins(conn: psycopg.Connection, table: str, logins: list[str]) -> list[str]:
    """As the owner, at set-up: the warehouse's list of who may answer a human step
    (compliance.officers, governance.dpo_users, access.grantors...) becomes `logins`, from its setting."""
    ident = sql.Identifier(*table.split("."))
    with conn.transaction():
        conn.execute(sql.SQL("delete from {} where login <> all(%s)").format(ident), (logins,))
        for login in logins:
            conn.execute(sql.SQL("insert into {} (login) values (%s) on conflict do nothing").format(ident), (login,))
    if not logins:
        log.warning("%s is empty: nobody can answer its step", table)
    return logins


RUNTIME_CONN_IDS = (LOADER_CONN_ID, TRANSFORMER_CONN_ID, COMPLIANCE_CONN_ID, ACCESS_CONN_ID)
# the BI tools' role: no Airflow task uses it; set when a connection names it
BI_CONN_ID = "warehouse_bi_reader"


def set_runtime_passwords(conn: psycopg.Connection) -> list[str]:
    """Give each run-time role the password its connection holds (as the owner, at set-up):
    the connections are the one place a deployment writes them."""
    done = []
    optional = [BI_CONN_ID] if os.environ.get(f"AIRFLOW_CONN_{BI_CONN_ID.upper()}") else []
    for conn_id in [*RUNTIME_CONN_IDS, *optional]:
        role = get_conn(conn_id)
        if not (role.login or "").startswith("trq_") or not role.password:
            raise ValueError(f"connection {conn_id!r} must name a trq_ role with its password")
        conn.execute(
            sql.SQL("alter role {} login password {}").format(sql.Identifier(role.login), sql.Literal(role.password))
        )
        done.append(role.login)
    return done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tranquillite.warehouse")
    parser.add_argument("command", choices=["migrate", "role-passwords", "dsn", "url"])
    parser.add_argument("--conn-id", default=WAREHOUSE_CONN_ID)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    conn = warehouse_conn(args.conn_id)
    if args.command == "dsn":
        # the full libpq string, for psql; printed on request only
        info = postgres_conninfo(conn)
        print(" ".join(f"{k}={v}" for k, v in info.items() if k != "application_name"))
        return 0
    if args.command == "url":
        print(redacted_dsn(conn))
        return 0
    if args.command == "role-passwords":
        with connect(args.conn_id) as c:
            print(f"warehouse: passwords set for {', '.join(set_runtime_passwords(c))}")
        return 0
    with connect(args.conn_id) as c:
        applied = ensure_migrated(c)
    print(f"warehouse {redacted_dsn(conn)}: {len(applied)} migration(s) applied")
    return 0


if __name__ == "__main__":
    sys.exit(main())
