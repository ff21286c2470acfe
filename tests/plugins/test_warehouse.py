"""The migration runner's rules, on the session's real warehouse: a versioned migration
never changes once applied, a repeatable one is applied again when its file changes, the
run-time roles only check, and the ledgers are the owner's alone."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tranquillite.core.settings import MIGRATIONS_DIR
from tranquillite.warehouse import (
    MigrationChangedError,
    MigrationsPendingError,
    connect,
    ensure_migrated,
    migration_status,
    migrations,
)

CLI = [sys.executable, "-m", "tranquillite.warehouse"]


@pytest.fixture
def edited_record(warehouse_url: str) -> Iterator[psycopg.Connection]:
    """The owner's connection; whatever a test does to the ledger of 008 is undone after it."""
    with psycopg.connect(warehouse_url, autocommit=True) as owner:
        saved = owner.execute("select sha256 from ops.schema_migrations where name = '008_compliance.sql'").fetchone()
        assert saved, "008_compliance.sql is applied in the test warehouse"
        try:
            yield owner
        finally:
            owner.execute("update ops.schema_migrations set sha256 = %s where name = '008_compliance.sql'", saved)


@pytest.fixture
def copied_migrations(tmp_path: Path, warehouse_url: str) -> Iterator[Path]:
    """A copy of the migrations to edit; the warehouse is brought back to the real files after."""
    copy = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, copy)
    yield copy
    with connect() as owner:
        owner.execute("drop function if exists stats.trq_test_probe()")
        ensure_migrated(owner)
        assert all(s.state == "applied" for s in migration_status(owner))


def test_an_edited_versioned_migration_stops_the_set_up(edited_record: psycopg.Connection) -> None:
    """The warehouse applied a different 008 than the file now says: `migrate` (what the set-up
    runs) refuses with a message that names the file and what to do, and applies nothing."""
    edited_record.execute("update ops.schema_migrations set sha256 = repeat('0', 64) where name = '008_compliance.sql'")
    before = edited_record.execute("select count(*) from ops.repeatable_migrations").fetchone()
    done = subprocess.run([*CLI, "migrate"], capture_output=True, text=True, env=os.environ, timeout=120)
    assert done.returncode == 3, done.stderr
    assert "008_compliance.sql" in done.stderr
    assert "new versioned migration" in done.stderr
    assert "Traceback" not in done.stderr
    status = subprocess.run([*CLI, "migrate", "status"], capture_output=True, text=True, env=os.environ, timeout=120)
    assert status.returncode == 1
    rows = [line.split()[:3] for line in status.stdout.splitlines()]
    assert ["versioned", "008_compliance.sql", "changed"] in rows
    # nor may a task run on it: the run-time roles are refused the same way
    with connect("warehouse_loader") as loader, pytest.raises(MigrationChangedError, match="008_compliance.sql"):
        ensure_migrated(loader)
    assert edited_record.execute("select count(*) from ops.repeatable_migrations").fetchone() == before


def test_repair_records_an_edit_the_owner_accepts(edited_record: psycopg.Connection) -> None:
    edited_record.execute("update ops.schema_migrations set sha256 = repeat('0', 64) where name = '008_compliance.sql'")
    done = subprocess.run(
        [*CLI, "migrate", "repair", "008_compliance.sql"], capture_output=True, text=True, env=os.environ, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert subprocess.run([*CLI, "migrate"], capture_output=True, env=os.environ, timeout=120).returncode == 0
    unknown = subprocess.run(
        [*CLI, "migrate", "repair", "999_nothing.sql"], capture_output=True, text=True, env=os.environ, timeout=120
    )
    assert unknown.returncode != 0


def test_a_changed_repeatable_file_is_applied_again(copied_migrations: Path) -> None:
    stats = copied_migrations / "repeatable" / "stats.sql"
    stats.write_text(
        stats.read_text()
        + "\ncreate or replace function stats.trq_test_probe() returns integer language sql as $$ select 7 $$;\n"
    )
    with connect() as owner:
        assert ensure_migrated(owner, copied_migrations) == ["repeatable/stats.sql"]
        assert owner.execute("select stats.trq_test_probe()").fetchone() == (7,)
        assert ensure_migrated(owner, copied_migrations) == []  # unchanged: nothing again
    # the real file now differs from what the warehouse holds: a task is told to run the set-up
    with connect("warehouse_loader") as loader, pytest.raises(MigrationsPendingError, match="stats.sql"):
        ensure_migrated(loader)


def test_a_failing_repeatable_file_fails_the_set_up_and_keeps_the_previous_definition(
    copied_migrations: Path,
) -> None:
    geo = copied_migrations / "repeatable" / "geo.sql"
    geo.write_text(geo.read_text() + "\ncreate or replace function geo.normalise_label(label text) returns;\n")
    with connect() as owner:
        with pytest.raises(psycopg.errors.SyntaxError):
            ensure_migrated(owner, copied_migrations)
        states = {s.name: s.state for s in migration_status(owner, copied_migrations)}
        assert states["geo.sql"] == "outdated"
        assert owner.execute("select geo.normalise_label('Rue  X')").fetchone()[0]


def test_a_new_versioned_file_is_pending_until_the_owner_applies_it(copied_migrations: Path) -> None:
    (copied_migrations / "versioned" / "999_probe.sql").write_text("create table ops.trq_test_probe (x integer);\n")
    with connect() as owner:
        states = {s.name: s.state for s in migration_status(owner, copied_migrations)}
        assert states["999_probe.sql"] == "pending"
        assert {s for n, s in states.items() if n != "999_probe.sql"} == {"applied"}
        with owner.transaction():
            # applied, then taken back so that the session's warehouse stays as the files say
            assert ensure_migrated(owner, copied_migrations) == ["versioned/999_probe.sql"]
            owner.execute("drop table ops.trq_test_probe")
            owner.execute("delete from ops.schema_migrations where name = '999_probe.sql'")


def test_versioned_files_hold_no_function_or_view_of_their_own_any_more() -> None:
    """Every function and view the versioned files define has its current definition in
    repeatable/: that is where the next edit goes."""
    import re

    repeatable = "\n".join(m.script for m in migrations() if m.kind == "repeatable").lower()
    pattern = re.compile(r"create\s+(?:or\s+replace\s+)?(function|view)\s+([a-z_]+\.[a-z_]+)", re.IGNORECASE)
    dropped = {"raw.ensure_feed_partition"}  # dropped by 008
    for m in migrations():
        if m.kind == "versioned":
            for kind, name in pattern.findall(m.script):
                if name.lower() not in dropped:
                    assert f"create or replace {kind.lower()} {name.lower()}" in repeatable, (m.name, name)


@pytest.mark.parametrize("role", ["loader", "transformer", "compliance", "access_admin"])
def test_run_time_roles_read_the_ledgers_but_cannot_write_them(warehouse_url: str, role: str) -> None:
    with connect(f"warehouse_{role}") as conn:
        assert conn.execute("select count(*) from ops.schema_migrations").fetchone()[0] > 0
        assert conn.execute("select count(*) from ops.repeatable_migrations").fetchone()[0] > 0
        for table in ("ops.schema_migrations", "ops.repeatable_migrations"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(f"insert into {table} (name, sha256) values ('999_forged.sql', 'x')")  # noqa: S608


@pytest.mark.parametrize(
    ("edit", "state", "message"),
    [
        (lambda d: (d / "versioned" / "019_held_versions.sql").unlink(), "missing", "no longer in versioned"),
        (
            lambda d: (d / "versioned" / "015a_late.sql").write_text("create table ops.trq_test_late (x integer);\n"),
            "out of order",
            "out of order",
        ),
        (
            lambda d: (d / "versioned" / "013_purge_samples.sql").rename(d / "versioned" / "013_samples.sql"),
            "out of order",
            "renamed",
        ),
    ],
)
def test_a_deleted_renamed_or_late_versioned_file_stops_the_set_up(
    copied_migrations: Path, edit, state: str, message: str
) -> None:
    edit(copied_migrations)
    with connect() as owner:
        states = {s.name: s.state for s in migration_status(owner, copied_migrations)}
        assert state in states.values()
        with pytest.raises(MigrationChangedError, match=message):
            ensure_migrated(owner, copied_migrations)
        assert owner.execute("select to_regclass('ops.trq_test_late')").fetchone() == (None,)
