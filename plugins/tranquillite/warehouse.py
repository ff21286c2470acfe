"""The warehouse: connections, the project's own migrations and its reference data.

Migrations are plain SQL files, applied by the owner at set-up, each in its own transaction:
- `migrations/versioned/`: tables, columns, triggers, grants. Applied once in name order and
  recorded with their checksum in `ops.schema_migrations`; one edited after it was applied
  stops the set-up (and every task) with a message that says what to do instead.
- `migrations/repeatable/`: functions and views, re-applied (in name order, after the
  versioned ones) whenever their file changes; recorded in `ops.repeatable_migrations`.
A task calls `ensure_migrated()` at every run as its run-time role: it only checks.
Seeding the reference data (agreements, retention, who answers which human step) is a
separate step.

CLI: `python -m tranquillite.warehouse migrate [status | repair NAME] | seed | role-passwords | dsn | url`.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import psycopg
from psycopg import sql

from tranquillite.core import settings
from tranquillite.core.connections import Conn, get_conn, postgres_conninfo, redacted_dsn
from tranquillite.core.settings import (
    ACCESS_CONN_ID,
    COMPLIANCE_CONN_ID,
    LOADER_CONN_ID,
    MIGRATIONS_DIR,
    ROOT,
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


@dataclass(frozen=True)
class Migration:
    """One SQL file: `versioned/` runs once and may never change; `repeatable/` (functions,
    views) runs again whenever its text changes, after every versioned one."""

    kind: str  # "versioned" | "repeatable"
    name: str
    script: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.script.encode()).hexdigest()


def migrations(directory: Path | None = None) -> list[Migration]:
    root = directory or MIGRATIONS_DIR
    return [
        Migration(kind, p.name, p.read_text(encoding="utf-8"))
        for kind in ("versioned", "repeatable")
        for p in sorted((root / kind).glob("*.sql"))
    ]


_LEDGER = {"versioned": "ops.schema_migrations", "repeatable": "ops.repeatable_migrations"}


class MigrationsPendingError(RuntimeError):
    """A run-time role found migrations to apply: only the owner applies them (at set-up)."""


class MigrationChangedError(RuntimeError):
    """A versioned migration's file differs from the one this warehouse applied."""


def _is_owner(conn: psycopg.Connection) -> bool:
    row = conn.execute(
        "select pg_has_role(current_user, d.datdba, 'USAGE') from pg_database as d where d.datname = current_database()"
    ).fetchone()
    return bool(row and row[0])


def _recorded(conn: psycopg.Connection) -> dict[tuple[str, str], tuple[str, datetime]]:
    done: dict[tuple[str, str], tuple[str, datetime]] = {}
    for kind, table in _LEDGER.items():
        rows = conn.execute(sql.SQL("select name, sha256, applied_at from {}").format(sql.SQL(table)))
        done.update({(kind, name): (sha, at) for name, sha, at in rows})
    return done


@dataclass(frozen=True)
class MigrationState:
    kind: str
    name: str
    state: str  # one of STATES
    applied_at: datetime | None


def migration_status(conn: psycopg.Connection, directory: Path | None = None) -> list[MigrationState]:
    """Each file beside what this warehouse recorded of it (readable by every run-time role)."""
    try:
        done = _recorded(conn)
    except psycopg.errors.Error as exc:
        raise MigrationsPendingError(f"the warehouse is not set up ({type(exc).__name__}): run `make setup`") from None
    states = []
    files = migrations(directory)
    applied_versioned = [name for kind, name in done if kind == "versioned"]
    latest = max(applied_versioned, default="")
    for m in files:
        sha, at = done.get((m.kind, m.name), (None, None))
        if sha is None:
            # a versioned file that sorts before one already applied would run out of order
            # (or is an applied one renamed): refused as well
            state = "out of order" if m.kind == "versioned" and m.name < latest else "pending"
        elif sha == m.sha256:
            state = "applied"
        else:
            state = "changed" if m.kind == "versioned" else "outdated"
        states.append(MigrationState(m.kind, m.name, state, at))
    on_disk = {(m.kind, m.name) for m in files}
    for (kind, name), (_, at) in sorted(done.items()):
        if kind == "versioned" and (kind, name) not in on_disk:
            states.append(MigrationState(kind, name, "missing", at))
    return states


# what stops the set-up and every task, and what to do about it; the other states are
# applied, pending and outdated (a repeatable file applied again at the next set-up)
REFUSALS = {
    "changed": "differ from what this warehouse applied: a versioned migration never changes once applied."
    " Put the file back as it was and write the change as a new versioned migration (tables, columns,"
    " grants) or in repeatable/ (functions, views). If the edit is known to change nothing in the warehouse,"
    " `python -m tranquillite.warehouse migrate repair NAME` records the file as it is now.",
    "missing": "were applied to this warehouse and are no longer in versioned/ (deleted or renamed):"
    " put them back under their name.",
    "out of order": "sort before one already applied: they would run out of order (or an applied file was"
    " renamed). Number a new migration after the last one.",
}
STATES = ("applied", "pending", "outdated", *REFUSALS)


def _refuse_changed(states: list[MigrationState]) -> None:
    for state, advice in REFUSALS.items():
        names = [s.name for s in states if s.state == state]
        if names:
            raise MigrationChangedError(f"versioned migration(s) {', '.join(names)} {advice}")


def ensure_migrated(conn: psycopg.Connection, directory: Path | None = None) -> list[str]:
    """Apply what this warehouse has not seen; returns the names applied.

    As a run-time role (loader, transformer...), only check: those roles cannot and must
    not change the schema, so anything pending is an error that says to run the set-up.
    A versioned migration edited after it was applied stops everyone, the owner too."""
    if not _is_owner(conn):
        states = migration_status(conn, directory)
        _refuse_changed(states)
        pending = [s.name for s in states if s.state != "applied"]
        if pending:
            raise MigrationsPendingError(
                f"{len(pending)} migration(s) not applied ({', '.join(pending)}): run `make setup` as the owner"
            )
        return []
    with conn.transaction():
        conn.execute("create schema if not exists ops")
        for table in _LEDGER.values():
            conn.execute(
                sql.SQL(
                    "create table if not exists {} ("
                    " name text primary key, sha256 text not null, applied_at timestamptz not null default now())"
                ).format(sql.SQL(table))
            )
    _refuse_changed(migration_status(conn, directory))
    applied: list[str] = []
    for m in migrations(directory):
        ledger = sql.SQL(_LEDGER[m.kind])
        with conn.transaction():
            # one migration at a time, even with several workers starting together
            conn.execute("select pg_advisory_xact_lock(hashtext('tranquillite.migrations'))")
            row = conn.execute(sql.SQL("select sha256 from {} where name = %s").format(ledger), (m.name,)).fetchone()
            if row and row[0] == m.sha256:
                continue
            if row and m.kind == "versioned":  # edited since the check above: refuse as well
                _refuse_changed([MigrationState(m.kind, m.name, "changed", None)])
            conn.execute(m.script)
            conn.execute(
                sql.SQL(
                    "insert into {} (name, sha256) values (%s, %s)"
                    " on conflict (name) do update set sha256 = excluded.sha256, applied_at = now()"
                ).format(ledger),
                (m.name, m.sha256),
            )
        applied.append(f"{m.kind}/{m.name}")
        log.info("applied %s migration %s", m.kind, m.name)
    return applied


def repair(conn: psycopg.Connection, name: str, directory: Path | None = None) -> None:
    """Record a versioned file's current checksum: the owner's deliberate answer to an edit
    known to change nothing in this warehouse (a comment, a typo in a message)."""
    found = [m for m in migrations(directory) if m.kind == "versioned" and m.name == name]
    if not found:
        raise ValueError(f"no versioned migration named {name!r}")
    updated = conn.execute(
        "update ops.schema_migrations set sha256 = %s where name = %s", (found[0].sha256, name)
    ).rowcount
    if not updated:
        raise ValueError(f"{name} has not been applied here: nothing to repair")
    log.warning("migration %s: its current file is now the one recorded as applied", name)


def seed_reference_data(conn: psycopg.Connection) -> None:
    """The set-up's second step, as the owner: the agreements, their retention and the
    logins allowed to answer each human step, from the repository's files and the settings."""
    from tranquillite.access.habilitations import register_identities
    from tranquillite.compliance.approvals import register_officers
    from tranquillite.compliance.conventions import register_retention, seed
    from tranquillite.ingestion.governance import register_dpo_users

    for name, home in settings.retired_still_set().items():
        log.warning("%s is set but no longer read: its setting is in %s", name, home)
    seed(conn)
    register_retention(conn)
    register_officers(conn)
    register_dpo_users(conn)
    register_identities(conn)


def set_up(conn: psycopg.Connection) -> list[str]:
    """Migrate, then seed: what `make setup` does, for the tests and the benchmark's own warehouse.

    Several of those may set up a database of their own on one cluster at once (`make test`
    runs three processes); the migrations also touch what the cluster shares (the run-time
    roles' comments and grants), which PostgreSQL refuses to update from two sessions at
    once: they take turns, on a lock file beside the local stack."""
    import fcntl

    lock = ROOT / ".local" / "setup.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    with lock.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            applied = ensure_migrated(conn)
            seed_reference_data(conn)
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
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
    optional = [BI_CONN_ID] if settings.connection_env(BI_CONN_ID) else []
    for conn_id in [*RUNTIME_CONN_IDS, *optional]:
        role = get_conn(conn_id)
        if not (role.login or "").startswith("trq_") or not role.password:
            raise ValueError(f"connection {conn_id!r} must name a trq_ role with its password")
        conn.execute(
            sql.SQL("alter role {} login password {}").format(sql.Identifier(role.login), sql.Literal(role.password))
        )
        done.append(role.login)
    return done


def _print_status(states: list[MigrationState]) -> None:
    for s in states:
        when = s.applied_at.strftime("%Y-%m-%d %H:%M") if s.applied_at else "-"
        print(f"{s.kind:<11} {s.name:<40} {s.state:<12} {when}")
    counts = {state: sum(s.state == state for s in states) for state in STATES}
    print(", ".join(f"{n} {state}" for state, n in counts.items() if n))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tranquillite.warehouse")
    parser.add_argument("command", choices=["migrate", "seed", "role-passwords", "dsn", "url"])
    parser.add_argument("action", nargs="*", help="migrate: nothing (apply), `status`, or `repair NAME`")
    parser.add_argument("--conn-id", default=WAREHOUSE_CONN_ID)
    args = parser.parse_args(argv)
    if args.action and args.command != "migrate":
        parser.error(f"{args.command} takes no {' '.join(args.action)!r}")
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
    with connect(args.conn_id) as c:
        if args.command == "role-passwords":
            print(f"warehouse: passwords set for {', '.join(set_runtime_passwords(c))}")
        elif args.command == "seed":
            seed_reference_data(c)
            print(f"warehouse {redacted_dsn(conn)}: reference data seeded")
        elif args.action[:1] == ["status"]:
            states = migration_status(c)
            _print_status(states)
            return 1 if any(s.state != "applied" for s in states) else 0
        elif args.action[:1] == ["repair"] and len(args.action) == 2:
            repair(c, args.action[1])
        elif args.action:
            parser.error("migrate takes nothing, `status` or `repair NAME`")
        else:
            try:
                applied = ensure_migrated(c)
            except MigrationChangedError as exc:
                print(f"warehouse: {exc}", file=sys.stderr)
                return 3
            print(f"warehouse {redacted_dsn(conn)}: {len(applied)} migration(s) applied")
    return 0


if __name__ == "__main__":
    sys.exit(main())
