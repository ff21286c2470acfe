"""Airflow connections, read the same way inside a task and from the command line.

Inside a task, Airflow resolves connections (environment, secrets backend,
metadata DB). From the CLI and the tests, only `AIRFLOW_CONN_<ID>` is read, as a
URI or as JSON, which is also what Airflow does with those variables.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote, urlsplit

from tranquillite.core import settings


@dataclass(frozen=True)
class Conn:
    conn_id: str
    conn_type: str | None = None
    host: str | None = None
    port: int | None = None
    login: str | None = None
    password: str | None = field(default=None, repr=False)
    schema: str | None = None
    extra: dict = field(default_factory=dict)


class ConnectionNotFoundError(LookupError):
    pass


def parse_conn(conn_id: str, value: str) -> Conn:
    value = value.strip()
    if value.startswith("{"):
        data = json.loads(value)
        extra = data.get("extra") or {}
        if isinstance(extra, str):
            extra = json.loads(extra) if extra else {}
        return Conn(
            conn_id=conn_id,
            conn_type=data.get("conn_type"),
            host=data.get("host"),
            port=int(data["port"]) if data.get("port") else None,
            login=data.get("login"),
            password=data.get("password"),
            schema=data.get("schema"),
            extra=extra,
        )
    parts = urlsplit(value)
    return Conn(
        conn_id=conn_id,
        conn_type=parts.scheme.replace("-", "_") or None,
        host=unquote(parts.hostname) if parts.hostname else None,
        port=parts.port,
        login=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        schema=unquote(parts.path.lstrip("/")) or None,
        extra=dict(parse_qsl(parts.query)),
    )


def _from_airflow(conn_id: str) -> Conn | None:
    try:
        from airflow.sdk import BaseHook
    except ImportError:  # pragma: no cover - Airflow is always installed here
        return None
    try:
        c = BaseHook.get_connection(conn_id)
    except Exception:
        return None
    return Conn(
        conn_id=conn_id,
        conn_type=c.conn_type,
        host=c.host,
        port=c.port,
        login=c.login,
        password=c.password,
        schema=c.schema,
        extra=c.extra_dejson if hasattr(c, "extra_dejson") else {},
    )


def get_conn(conn_id: str) -> Conn:
    env = settings.connection_env(conn_id)
    if env:
        return parse_conn(conn_id, env)
    conn = _from_airflow(conn_id)
    if conn is None:
        raise ConnectionNotFoundError(
            f"connection {conn_id!r} is not defined: set AIRFLOW_CONN_{conn_id.upper()} or add it in Airflow"
        )
    return conn


def postgres_conninfo(conn: Conn) -> dict:
    """Keyword arguments for psycopg.connect (never logged: it holds the password)."""
    kwargs: dict = {
        "host": conn.host or "localhost",
        "port": conn.port or 5432,
        "dbname": conn.schema or "postgres",
        "user": conn.login,
        "password": conn.password,
        "application_name": "tranquillite",
    }
    for key in ("sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout"):
        if key in conn.extra:
            kwargs[key] = conn.extra[key]
    return {k: v for k, v in kwargs.items() if v is not None}


def redacted_dsn(conn: Conn) -> str:
    """A printable connection string: the password is never shown."""
    user = f"{conn.login}@" if conn.login else ""
    return f"postgresql://{user}{conn.host}:{conn.port or 5432}/{conn.schema or ''}"


def http_base_url(conn: Conn) -> str:
    """The base URL of an HTTP connection whose host may already be a full URL."""
    host = (conn.host or "").rstrip("/")
    if "://" in host:
        base = host
    else:
        scheme = conn.schema or "https"
        base = f"{scheme}://{host}"
    if conn.port and "://" in base and base.count(":") < 2:
        base = f"{base}:{conn.port}"
    return base
