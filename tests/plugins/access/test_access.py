"""Access control against the real cluster: the role matrix over TLS, habilitations and their logins.

Each role connects for real (scram-sha-256 over verified TLS) and tries select,
insert and delete in every schema; the expected matrix below is the specification
of migration 009, and the README's table says the same.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from tests.conftest import PG_PORT, ROOT, TEST_DB, TLS, _superuser, role_url

OWNER_SCHEMAS = ("raw", "quarantine", "landing", "ops", "geo", "governance", "compliance", "access")
DBT_SCHEMAS = ("staging", "intermediate", "marts")
SCHEMAS = OWNER_SCHEMAS + DBT_SCHEMAS
S, INS, D = "select", "insert", "delete"
VALIDATOR = f"t_pref_validator_{os.getpid()}"

# role -> schema -> the operations allowed; everything else is denied
EXPECTED: dict[str, dict[str, set[str]]] = {
    "loader": {
        "raw": {S, INS, D},
        "quarantine": {S, INS, D},
        "landing": {S, INS, D},
        "ops": {S, INS, D},
        "geo": {S, INS, D},
        "governance": {S, INS},
        "compliance": {S},
    },
    "transformer": {
        "raw": {S},
        "ops": {S},
        "geo": {S},
        # owner of what dbt builds
        "staging": {S, INS, D},
        "intermediate": {S, INS, D},
        "marts": {S, INS, D},
    },
    "compliance": {
        "raw": {S, D},
        "quarantine": {S, D},
        "landing": {S, D},
        "ops": {S, INS, D},
        "geo": {S, D},
        "governance": {S, INS},
        "compliance": {S, INS, D},
        "access": {S},
        "staging": {S, D},
        "intermediate": {S, D},
        "marts": {S, D},
    },
    "access_admin": {"access": {S, INS}},
    "bi_reader": {"marts": {S}},
    "city_staff": {"marts": {S}},
    "prefecture": {"marts": {S}},
}


@pytest.fixture(scope="module")
def probes(warehouse_url: str) -> Iterator[None]:
    """One probe table per schema, made by the schema's owner as a migration or dbt would."""
    with psycopg.connect(warehouse_url, autocommit=True) as owner:
        for schema in OWNER_SCHEMAS:
            owner.execute(sql.SQL("create table {}.acl_probe (x int)").format(sql.Identifier(schema)))
            owner.execute(sql.SQL("insert into {}.acl_probe values (1)").format(sql.Identifier(schema)))
    with psycopg.connect(role_url("transformer"), autocommit=True) as dbt:
        for schema in DBT_SCHEMAS:
            dbt.execute(sql.SQL("create table {}.acl_probe (x int)").format(sql.Identifier(schema)))
            dbt.execute(sql.SQL("insert into {}.acl_probe values (1)").format(sql.Identifier(schema)))
    yield
    with psycopg.connect(warehouse_url, autocommit=True) as owner:
        for schema in SCHEMAS:
            owner.execute(sql.SQL("drop table if exists {}.acl_probe").format(sql.Identifier(schema)))


@pytest.fixture
def register(warehouse_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[psycopg.Connection]:
    """The register as habilitations_sync sees it (access_admin role); the logins made are dropped after."""
    monkeypatch.setenv("TRQ_HABILITATION_GRANTORS", "dga_securite")
    monkeypatch.setenv("TRQ_HABILITATION_SECRETS", str(tmp_path / "credentials"))
    with psycopg.connect(warehouse_url, autocommit=True) as owner:
        # the identities set-up registers from the settings, as the owner
        owner.execute("insert into access.grantors values ('dga_securite') on conflict do nothing")
        owner.execute("insert into access.prefecture_validators values (%s) on conflict do nothing", (VALIDATOR,))
    with psycopg.connect(role_url("access_admin"), autocommit=True) as conn:
        yield conn
    with psycopg.connect(warehouse_url, autocommit=True) as owner:
        owner.execute("delete from access.prefecture_validators where login = %s", (VALIDATOR,))
        made = [r[0] for r in owner.execute("delete from access.habilitations returning login")]
    with _superuser() as su:
        for login in made:
            su.execute(sql.SQL("drop role if exists {}").format(sql.Identifier(login)))


def _hab_url(login: str, credentials: Path) -> str:
    password = (credentials / login).read_text().strip()
    return f"postgresql://{login}:{password}@127.0.0.1:{PG_PORT}/{TEST_DB}"


def _habilitated(conn: psycopg.Connection, organisation: str, tmp_path: Path) -> str:
    """A person habilitated (and validated where the prefecture must), with an open login."""
    from tranquillite.access.habilitations import decide_validation, grant, sync

    now = datetime.now(UTC)
    hab = grant(
        conn,
        person_name=f"Probe {organisation} {os.getpid()}",
        organisation=organisation,
        valid_from=now - timedelta(hours=1),
        valid_to=now + timedelta(days=30),
        reason="role matrix test",
        granted_by="dga_securite",
    )
    if organisation == "prefecture":
        decide_validation(conn, login=hab["login"], validate=True, validator=VALIDATOR, reference="LISTE-TEST")
    assert hab["login"] in sync(conn).enabled
    return hab["login"]


def _allowed(url: str, schema: str) -> set[str]:
    allowed = set()
    with psycopg.connect(url, **TLS) as conn:
        for op, stmt in (
            (S, "select x from {}.acl_probe"),
            (INS, "insert into {}.acl_probe values (2)"),
            (D, "delete from {}.acl_probe where x = 2"),
        ):
            try:
                with conn.transaction(force_rollback=True):
                    conn.execute(sql.SQL(stmt).format(sql.Identifier(schema)))
                allowed.add(op)
            except (psycopg.errors.InsufficientPrivilege, psycopg.errors.ReadOnlySqlTransaction):
                pass
    return allowed


def test_role_matrix_over_tls(probes: None, register: psycopg.Connection, tmp_path: Path) -> None:
    credentials = tmp_path / "credentials"
    urls = {role: role_url(role) for role in ("loader", "transformer", "compliance", "access_admin", "bi_reader")}
    urls["city_staff"] = _hab_url(_habilitated(register, "ville", tmp_path), credentials)
    urls["prefecture"] = _hab_url(_habilitated(register, "prefecture", tmp_path), credentials)
    got = {role: {schema: _allowed(url, schema) for schema in SCHEMAS} for role, url in urls.items()}
    want = {role: {schema: EXPECTED[role].get(schema, set()) for schema in SCHEMAS} for role in urls}
    assert got == want


def test_prefecture_consults_read_only(probes: None, register: psycopg.Connection, tmp_path: Path) -> None:
    url = _hab_url(_habilitated(register, "prefecture", tmp_path), tmp_path / "credentials")
    with psycopg.connect(url, **TLS) as conn:
        assert conn.execute("select count(*) from marts.acl_probe").fetchone()[0] >= 1
        assert conn.execute("show default_transaction_read_only").fetchone()[0] == "on"
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            conn.execute("create temporary table scratch (x int)")
        conn.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("select count(*) from raw.cortege_entries")


def test_public_gets_nothing(warehouse_url: str) -> None:
    """A login that is no project role cannot even connect, nor use a project function."""
    with _superuser() as su:
        su.execute("drop role if exists trq_test_outsider")
        su.execute("create role trq_test_outsider login password 'outsider-pw-1'")
    try:
        with pytest.raises(psycopg.OperationalError, match="permission denied for database"):
            psycopg.connect(
                f"postgresql://trq_test_outsider:outsider-pw-1@127.0.0.1:{PG_PORT}/{TEST_DB}", **TLS
            ).close()
        with psycopg.connect(warehouse_url) as owner:
            grantees = owner.execute(
                "select count(*) from information_schema.role_table_grants"
                " where grantee = 'PUBLIC' and table_schema = any(%s)",
                (list(SCHEMAS),),
            ).fetchone()[0]
            assert grantees == 0
            public_functions = owner.execute(
                "select count(*) from pg_proc as p join pg_namespace as n on n.oid = p.pronamespace"
                " where n.nspname = any(%s) and has_function_privilege('public', p.oid, 'execute')",
                (list(SCHEMAS),),
            ).fetchone()[0]
            assert public_functions == 0
    finally:
        with _superuser() as su:
            su.execute("drop role if exists trq_test_outsider")


def test_views_apply_the_readers_rights(warehouse_url: str) -> None:
    """Every view but dbt's staging ones (read by the transformer alone) is security_invoker."""
    with psycopg.connect(warehouse_url) as owner:
        definer = owner.execute(
            "select n.nspname || '.' || c.relname from pg_class as c join pg_namespace as n on n.oid = c.relnamespace"
            " where c.relkind = 'v' and n.nspname = any(%s) and n.nspname <> 'staging'"
            " and not coalesce('security_invoker=true' = any(c.reloptions), false)",
            (list(SCHEMAS),),
        ).fetchall()
    assert definer == []


def test_plain_tcp_is_refused() -> None:
    password = (ROOT / ".local" / "secrets" / "pg_trq_bi_reader").read_text().strip()
    with pytest.raises(psycopg.OperationalError, match="no encryption"):
        psycopg.connect(
            f"postgresql://trq_bi_reader:{password}@127.0.0.1:{PG_PORT}/{TEST_DB}", sslmode="disable"
        ).close()
    # and a certificate from another CA is not trusted: verify-full checks the chain
    with pytest.raises(psycopg.OperationalError, match="certificate"):
        psycopg.connect(
            f"postgresql://trq_bi_reader:{password}@127.0.0.1:{PG_PORT}/{TEST_DB}",
            sslmode="verify-full",
            sslrootcert="/etc/ssl/certs/ca-certificates.crt",
        ).close()


def test_expired_habilitation_cannot_log_in(register: psycopg.Connection, tmp_path: Path) -> None:
    from tranquillite.access.habilitations import grant, sync

    now = datetime.now(UTC)
    hab = grant(
        register,
        person_name=f"Agent Bref {os.getpid()}",
        organisation="ville",
        valid_from=now - timedelta(days=1),
        valid_to=now + timedelta(seconds=4),
        reason="short mission",
        granted_by="dga_securite",
    )
    assert sync(register).enabled == [hab["login"]]
    url = _hab_url(hab["login"], tmp_path / "credentials")
    session = psycopg.connect(url, **TLS)
    assert session.execute("select current_user").fetchone()[0] == hab["login"]
    time.sleep(5)
    # expired: PostgreSQL already refuses the password (VALID UNTIL), before any sync
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(url, **TLS).close()
    report = sync(register)
    assert report.disabled == [hab["login"]] and report.sessions_ended == 1
    # the open session was ended
    with pytest.raises(psycopg.OperationalError):
        session.execute("select 1")
    session.close()
    state = register.execute(
        "select can_login, groups from access.managed_logins where login = %s", (hab["login"],)
    ).fetchone()
    assert state == (False, [])
    events = [
        r[0]
        for r in register.execute(
            "select event from access.habilitation_log where login = %s order by event_id", (hab["login"],)
        )
    ]
    assert events == ["granted", "login_enabled", "login_disabled", "sessions_ended"]


def test_revocation_closes_the_login_and_the_log_is_append_only(
    register: psycopg.Connection, tmp_path: Path, warehouse_url: str
) -> None:
    from tranquillite.access.habilitations import grant, revoke, sync

    now = datetime.now(UTC)
    hab = grant(
        register,
        person_name=f"Agent Révoqué {os.getpid()}",
        organisation="ville",
        valid_from=now,
        valid_to=now + timedelta(days=10),
        reason="cellule de crise",
        granted_by="dga_securite",
    )
    sync(register)
    revoke(register, login=hab["login"], reason="changed service", actor="dga_securite")
    assert sync(register).disabled == [hab["login"]]
    with pytest.raises(psycopg.OperationalError, match="not permitted to log in|password authentication"):
        psycopg.connect(_hab_url(hab["login"], tmp_path / "credentials"), **TLS).close()
    # the sync's role may not rewrite the trail, and not even the owner can
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        register.execute("delete from access.habilitation_log where login = %s", (hab["login"],))
    with psycopg.connect(warehouse_url) as owner, pytest.raises(psycopg.errors.RaiseException, match="append-only"):
        owner.execute("update access.habilitation_log set actor = 'someone else' where login = %s", (hab["login"],))


def test_register_refusals(register: psycopg.Connection) -> None:
    from tranquillite.access.habilitations import HabilitationError, decide_validation, grant, sync

    now = datetime.now(UTC)
    args = {"valid_from": now, "reason": "veille", "person_name": f"Agent Refus {os.getpid()}"}
    with pytest.raises(HabilitationError, match="may not habilitate"):
        grant(register, organisation="ville", valid_to=now + timedelta(days=5), granted_by="conformite1", **args)
    with pytest.raises(HabilitationError, match="at most one year"):
        grant(register, organisation="ville", valid_to=now + timedelta(days=400), granted_by="dga_securite", **args)
    pref = grant(
        register, organisation="prefecture", valid_to=now + timedelta(days=5), granted_by="dga_securite", **args
    )
    # not validated by the prefecture yet: no login
    assert pref["login"] not in sync(register).enabled
    with pytest.raises(HabilitationError, match="prefecture validates only its own"):
        city = grant(
            register, organisation="ville", valid_to=now + timedelta(days=5), granted_by="dga_securite", **args
        )
        decide_validation(register, login=city["login"], validate=True, validator=VALIDATOR, reference="L-1")


def test_only_a_registered_validator_validates_and_no_one_writes_a_validation(
    register: psycopg.Connection, warehouse_url: str
) -> None:
    """The prefecture's validation goes through access.decide_validation under a registered
    validator's login; the run-time role cannot write one itself, nor habilitate under a
    login that is not a grantor, whatever the Python in front of it checks."""
    from tranquillite.access.habilitations import HabilitationError, decide_validation, grant, pending_validation

    now = datetime.now(UTC)
    args = {"valid_from": now, "valid_to": now + timedelta(days=5), "granted_by": "dga_securite"}
    first = grant(register, person_name=f"Agent Un {os.getpid()}", organisation="prefecture", reason="veille", **args)
    second = grant(
        register, person_name=f"Agent Deux {os.getpid()}", organisation="prefecture", reason="veille", **args
    )
    in_force = "select in_force from access.habilitations_in_force where login = %s"

    for who in ("conformite1", "dga_securite", "", None):
        with pytest.raises(HabilitationError, match="not a registered prefecture validator"):
            decide_validation(register, login=first["login"], validate=True, validator=who, reference="LISTE-1")
    with pytest.raises(HabilitationError, match="validation or a refusal"):
        decide_validation(register, login=first["login"], validate=None, validator=VALIDATOR, reference="LISTE-1")
    with psycopg.connect(warehouse_url, autocommit=True) as owner:  # a grantor who is also a validator
        owner.execute("insert into access.prefecture_validators values ('dga_securite') on conflict do nothing")
    try:
        with pytest.raises(HabilitationError, match="does not also validate"):
            decide_validation(
                register, login=first["login"], validate=True, validator="dga_securite", reference="LISTE-1"
            )
    finally:
        with psycopg.connect(warehouse_url, autocommit=True) as owner:
            owner.execute("delete from access.prefecture_validators where login = 'dga_securite'")
    with pytest.raises(HabilitationError, match="reference"):
        decide_validation(register, login=first["login"], validate=True, validator=VALIDATOR, reference=" ")
    # the run-time role writing a validation, or a validated habilitation, itself
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        register.execute(
            "update access.habilitations set validated_by = 'x', validated_reference = 'x', validated_at = now()"
            " where login = %s",
            (first["login"],),
        )
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        register.execute(
            "insert into access.habilitations (login, person_name, organisation, access_role, reason, granted_by,"
            " valid_to, validated_by, validated_at) values ('hab_p_forged', 'Forged', 'prefecture',"
            " 'trq_prefecture', 'x', 'dga_securite', now() + interval '1 day', 'x', now())"
        )
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="not a registered grantor"):
        register.execute(
            "insert into access.habilitations (login, person_name, organisation, access_role, reason, granted_by,"
            " valid_to) values ('hab_v_forged', 'Forged', 'ville', 'trq_city_staff', 'x', 'someone',"
            " now() + interval '1 day')"
        )
    assert register.execute(in_force, (first["login"],)).fetchone() == (False,)
    assert pending_validation(register, first["login"])["granted_by"] == "dga_securite"

    assert (
        decide_validation(register, login=first["login"], validate=True, validator=VALIDATOR, reference="LISTE-1")[
            "status"
        ]
        == "validated"
    )
    assert (
        decide_validation(register, login=second["login"], validate=False, validator=VALIDATOR, reference="LISTE-1")[
            "status"
        ]
        == "refused"
    )
    assert register.execute(in_force, (first["login"],)).fetchone() == (True,)
    assert register.execute(in_force, (second["login"],)).fetchone() == (False,)
    # a refusal, like a revocation, is for good: the access role cannot re-open it
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="was revoked"):
        register.execute(
            "update access.habilitations set revoked_at = null, revoked_by = null, revoke_reason = null"
            " where login = %s",
            (second["login"],),
        )
    for login, match in ((first["login"], "already validated"), (second["login"], "revoked")):
        with pytest.raises(HabilitationError, match=match):
            decide_validation(register, login=login, validate=True, validator=VALIDATOR, reference="LISTE-2")
        with pytest.raises(HabilitationError, match=match):
            pending_validation(register, login)
    with psycopg.connect(warehouse_url) as owner:
        trail = owner.execute(
            "select login, event, actor, detail->>'reference' from access.habilitation_log"
            " where login = any(%s) and event in ('validated', 'refused') order by event_id",
            ([first["login"], second["login"]],),
        ).fetchall()
    assert trail == [
        (first["login"], "validated", VALIDATOR, "LISTE-1"),
        (second["login"], "refused", VALIDATOR, "LISTE-1"),
    ]


def test_sync_never_touches_a_role_the_project_does_not_own(register: psycopg.Connection) -> None:
    outsider = f"hab_v_outsider_{os.getpid()}"
    with _superuser() as su:
        su.execute(sql.SQL("create role {} login").format(sql.Identifier(outsider)))
    try:
        from tranquillite.access.habilitations import sync

        sync(register)
        with _superuser() as su:
            assert su.execute("select rolcanlogin from pg_roles where rolname = %s", (outsider,)).fetchone()[0]
        # and the owner's function refuses it even when asked directly
        with pytest.raises(psycopg.errors.RaiseException, match="does not own it"):
            register.execute("select access.disable_login(%s)", (outsider,))
        # a service role is not a habilitation login
        with pytest.raises(psycopg.errors.RaiseException, match="not a habilitation login"):
            register.execute("select access.disable_login('trq_loader')")
    finally:
        with _superuser() as su:
            su.execute(sql.SQL("drop role if exists {}").format(sql.Identifier(outsider)))


def test_run_time_roles_do_not_migrate(warehouse_url: str) -> None:
    from tranquillite.warehouse import MigrationsPendingError, connect, ensure_migrated

    with connect("warehouse_loader") as conn:
        assert ensure_migrated(conn) == []
        assert conn.execute("select current_user").fetchone()[0] == "trq_loader"
    # the newest migration not applied yet (an older one missing would be out of order: refused too)
    with psycopg.connect(warehouse_url, autocommit=True) as owner:
        (newest,) = owner.execute("select max(name) from ops.schema_migrations").fetchone()
        saved = owner.execute(
            "delete from ops.schema_migrations where name = %s returning name, sha256, applied_at", (newest,)
        ).fetchone()
    try:
        with connect("warehouse_loader") as conn, pytest.raises(MigrationsPendingError, match=newest):
            ensure_migrated(conn)
    finally:
        with psycopg.connect(warehouse_url, autocommit=True) as owner:
            owner.execute("insert into ops.schema_migrations (name, sha256, applied_at) values (%s, %s, %s)", saved)


def test_no_task_connects_as_the_owner() -> None:
    """Every warehouse connection in the DAGs and the package names its run-time role; the
    owner's connection (the default) is for set-up: migrations, and the purge's VACUUM."""
    offenders = []
    for path in [*(ROOT / "dags").glob("*.py"), *(ROOT / "plugins" / "tranquillite").rglob("*.py")]:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\bconnect\(\)", line) or "connect(WAREHOUSE_CONN_ID" in line:
                offenders.append(f"{path.relative_to(ROOT)}:{n}")
    assert offenders == []


def test_run_time_roles_get_the_passwords_their_connections_hold(
    warehouse_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`python -m tranquillite.warehouse role-passwords`: what set-up and docker-compose's init run."""
    from tranquillite.warehouse import set_runtime_passwords

    original = os.environ["AIRFLOW_CONN_WAREHOUSE_LOADER"]
    changed = original.replace(original.split(":")[2].split("@")[0], "rotated-pw-for-test-1")
    monkeypatch.setenv("AIRFLOW_CONN_WAREHOUSE_LOADER", changed)
    try:
        with psycopg.connect(warehouse_url, autocommit=True) as owner:
            assert set_runtime_passwords(owner) == [
                "trq_loader",
                "trq_transformer",
                "trq_compliance",
                "trq_access_admin",
                "trq_bi_reader",
            ]
        with psycopg.connect(changed, **TLS) as conn:
            assert conn.execute("select current_user").fetchone()[0] == "trq_loader"
        with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
            psycopg.connect(original, **TLS).close()
    finally:
        monkeypatch.setenv("AIRFLOW_CONN_WAREHOUSE_LOADER", original)
        with psycopg.connect(warehouse_url, autocommit=True) as owner:
            set_runtime_passwords(owner)
    with psycopg.connect(original, **TLS) as conn:
        assert conn.execute("select current_user").fetchone()[0] == "trq_loader"
