"""Habilitations (convention, article 7): who may consult the warehouse, and their logins.

The City's Deputy Director General for Security (or a delegate named in
`TRQ_HABILITATION_GRANTORS`) habilitates a person; a prefecture person is in
force only once a prefecture validator (`TRQ_PREFECTURE_VALIDATORS`, answering
Airflow's human-in-the-loop step) has validated them. Both lists are registered
in the warehouse at set-up, and the warehouse refuses a grant or a validation
under any other login (migration 015). The register is `access.habilitations`;
`sync()` makes the database logins match it through the owner's functions of
migration 009, which refuse any role the project does not own. Every act and
every login change goes to `access.habilitation_log`.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg

from tranquillite.core import settings
from tranquillite.core.settings import logins

GROUPS = {"ville": "trq_city_staff", "prefecture": "trq_prefecture"}
# a habilitation lasts at most the agreement's term: renewed, never open-ended
MAX_VALIDITY = timedelta(days=366)


class HabilitationError(ValueError):
    """An act the register refuses; the message says why."""


def grantors() -> set[str]:
    """The Airflow logins who may habilitate (TRQ_HABILITATION_GRANTORS)."""
    return set(logins("TRQ_HABILITATION_GRANTORS"))


def prefecture_validators() -> list[str]:
    """The Airflow logins of the prefecture who validate its people (TRQ_PREFECTURE_VALIDATORS)."""
    return logins("TRQ_PREFECTURE_VALIDATORS")


def register_identities(conn: psycopg.Connection) -> None:
    """As the owner, at set-up: the warehouse's grantors and prefecture validators become
    the settings'. None registered, no habilitation (or no validation) can be recorded."""
    from tranquillite.warehouse import register_logins

    register_logins(conn, "access.grantors", sorted(grantors()))
    register_logins(conn, "access.prefecture_validators", prefecture_validators())


def secrets_dir() -> Path:
    return settings.habilitation_secrets_dir()


def _log(conn: psycopg.Connection, event: str, login: str, actor: str, hab_id: int | None, **detail) -> None:
    conn.execute(
        "insert into access.habilitation_log (habilitation_id, login, event, actor, detail)"
        " values (%s, %s, %s, %s, %s)",
        (hab_id, login, event, actor, json.dumps(detail, default=str)),
    )


def login_for(conn: psycopg.Connection, person_name: str, organisation: str) -> str:
    """hab_<v|p>_<name>: readable by the administrators, free in the register and the cluster."""
    ascii_name = unicodedata.normalize("NFKD", person_name).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "_", ascii_name).strip("_")[:40] or "person"
    base = f"hab_{organisation[0]}_{slug}"
    for n in range(1, 1000):
        login = base if n == 1 else f"{base}_{n}"
        taken = conn.execute(
            "select exists (select from access.habilitations where login = %s)"
            " or exists (select from pg_roles where rolname = %s)",
            (login, login),
        ).fetchone()[0]
        if not taken:
            return login
    raise HabilitationError(f"no free login for {base}")


def grant(
    conn: psycopg.Connection,
    *,
    person_name: str,
    organisation: str,
    valid_from: datetime,
    valid_to: datetime,
    reason: str,
    granted_by: str | None,
) -> dict:
    if not granted_by or granted_by not in grantors():
        raise HabilitationError(
            f"{granted_by!r} may not habilitate: only the Deputy Director General for Security and the delegates"
            " named in TRQ_HABILITATION_GRANTORS"
        )
    if organisation not in GROUPS:
        raise HabilitationError(f"organisation must be one of {sorted(GROUPS)}")
    if valid_to <= valid_from:
        raise HabilitationError("valid_to must be after valid_from")
    if valid_to - valid_from > MAX_VALIDITY:
        raise HabilitationError("a habilitation lasts at most one year; grant it again to renew")
    try:
        with conn.transaction():
            login, hab_id = _insert(conn, person_name, organisation, reason, granted_by, valid_from, valid_to)
    except psycopg.errors.InsufficientPrivilege as exc:  # the warehouse's own check of the grantor
        raise HabilitationError(exc.diag.message_primary or type(exc).__name__) from exc
    return {
        "habilitation_id": hab_id,
        "login": login,
        "access_role": GROUPS[organisation],
        "awaiting_prefecture_validation": organisation == "prefecture",
    }


def _insert(
    conn: psycopg.Connection,
    person_name: str,
    organisation: str,
    reason: str,
    granted_by: str,
    valid_from: datetime,
    valid_to: datetime,
) -> tuple[str, int]:
    login = login_for(conn, person_name, organisation)
    hab_id = conn.execute(
        "insert into access.habilitations (login, person_name, organisation, access_role, reason, granted_by,"
        " valid_from, valid_to) values (%s, %s, %s, %s, %s, %s, %s, %s) returning habilitation_id",
        (login, person_name, organisation, GROUPS[organisation], reason, granted_by, valid_from, valid_to),
    ).fetchone()[0]
    _log(conn, "granted", login, granted_by, hab_id, organisation=organisation, valid_to=valid_to)
    return login, hab_id


def _one(conn: psycopg.Connection, login: str) -> tuple:
    row = conn.execute(
        "select habilitation_id, organisation, revoked_at, validated_at from access.habilitations where login = %s",
        (login,),
    ).fetchone()
    if row is None:
        raise HabilitationError(f"no habilitation for login {login!r}")
    return row


def pending_validation(conn: psycopg.Connection, login: str) -> dict:
    """What a prefecture validator is asked about: a prefecture habilitation not yet answered."""
    hab_id, organisation, revoked_at, validated_at = _one(conn, login)
    if organisation != "prefecture":
        raise HabilitationError(f"{login} is City staff: the prefecture validates only its own people")
    if revoked_at is not None:
        raise HabilitationError(f"{login} was revoked; grant it again")
    if validated_at is not None:
        raise HabilitationError(f"{login} is already validated")
    granted_by, valid_from, valid_to = conn.execute(
        "select granted_by, valid_from, valid_to from access.habilitations where habilitation_id = %s", (hab_id,)
    ).fetchone()
    return {
        "habilitation_id": hab_id,
        "login": login,
        "granted_by": granted_by,
        "valid_from": valid_from.isoformat(),
        "valid_to": valid_to.isoformat(),
    }


def decide_validation(
    conn: psycopg.Connection, *, login: str, validate: bool, validator: str | None, reference: str
) -> dict:
    """The prefecture's answer on one of its people, under the validator's own login: the
    warehouse's access.decide_validation refuses a login not registered as a validator."""
    try:
        with conn.transaction():
            hab_id = conn.execute(
                "select access.decide_validation(%s, %s, %s, %s)", (login, validate, validator, reference)
            ).fetchone()[0]
    except (psycopg.errors.RaiseException, psycopg.errors.InsufficientPrivilege) as exc:
        raise HabilitationError(exc.diag.message_primary or type(exc).__name__) from exc
    return {"habilitation_id": hab_id, "login": login, "status": "validated" if validate else "refused"}


def revoke(conn: psycopg.Connection, *, login: str, reason: str, actor: str | None) -> dict:
    if not actor:
        raise HabilitationError("a revocation must be made by a named Airflow user")
    with conn.transaction():
        hab_id, _, revoked_at, _ = _one(conn, login)
        if revoked_at is not None:
            raise HabilitationError(f"{login} is already revoked")
        conn.execute(
            "update access.habilitations set revoked_by = %s, revoked_at = now(), revoke_reason = %s"
            " where habilitation_id = %s",
            (actor, reason, hab_id),
        )
        _log(conn, "revoked", login, actor, hab_id, reason=reason)
    return {"habilitation_id": hab_id, "login": login}


@dataclass
class SyncReport:
    enabled: list[str] = field(default_factory=list)
    disabled: list[str] = field(default_factory=list)
    sessions_ended: int = 0
    unchanged: int = 0
    # initial passwords written for the security officer to hand over (paths, never the password)
    credentials: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def _write_credential(login: str, password: str) -> str:
    folder = secrets_dir()
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    path = folder / login
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(password + "\n")
    return str(path)


def sync(conn: psycopg.Connection, *, actor: str = "habilitations_sync") -> SyncReport:
    """Make the project's logins match the register: open what is in force, close the rest."""
    report = SyncReport()
    wanted = {
        r[0]: r[1:]
        for r in conn.execute(
            "select login, habilitation_id, access_role, valid_to, in_force from access.habilitations_in_force"
        )
    }
    actual = {
        r[0]: r[1:] for r in conn.execute("select login, can_login, valid_until, groups from access.managed_logins")
    }
    for login, (hab_id, group, valid_to, in_force) in sorted(wanted.items()):
        state = actual.get(login)
        if in_force:
            if state and state[0] and state[1] == valid_to and state[2] == [group]:
                report.unchanged += 1
                continue
            password = None if state else secrets.token_urlsafe(24)
            with conn.transaction():
                conn.execute("select access.enable_login(%s, %s, %s, %s)", (login, group, valid_to, password))
                _log(conn, "login_enabled", login, actor, hab_id, group=group, valid_until=valid_to)
            if password:
                report.credentials.append(_write_credential(login, password))
            report.enabled.append(login)
        elif state and state[0]:
            report.sessions_ended += _disable(conn, login, actor, hab_id)
            report.disabled.append(login)
        else:
            report.unchanged += 1
    # a login the project made whose habilitation is gone from the register
    for login, (can_login, _, _) in sorted(actual.items()):
        if login not in wanted and can_login:
            report.sessions_ended += _disable(conn, login, actor, None)
            report.disabled.append(login)
    return report


def _disable(conn: psycopg.Connection, login: str, actor: str, hab_id: int | None) -> int:
    with conn.transaction():
        ended = conn.execute("select access.disable_login(%s)", (login,)).fetchone()[0]
        _log(conn, "login_disabled", login, actor, hab_id)
        if ended:
            _log(conn, "sessions_ended", login, actor, hab_id, sessions=ended)
    return ended


def parse_moment(value: str | None, default: datetime | None = None) -> datetime:
    """A date or a timestamp from a form; a bare date is midnight UTC."""
    if not value:
        if default is None:
            raise HabilitationError("a date is required")
        return default
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
