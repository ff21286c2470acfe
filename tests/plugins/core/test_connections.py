from __future__ import annotations

import json

from tranquillite.core.connections import http_base_url, parse_conn, postgres_conninfo, redacted_dsn


def test_uri_connection() -> None:
    conn = parse_conn("warehouse", "postgresql://loader:s%40cret@db.example:6543/dwh?sslmode=verify-full")
    assert (conn.host, conn.port, conn.login, conn.password, conn.schema) == (
        "db.example",
        6543,
        "loader",
        "s@cret",
        "dwh",
    )
    info = postgres_conninfo(conn)
    assert info["sslmode"] == "verify-full" and info["dbname"] == "dwh"


def test_json_connection_with_host_as_base_url() -> None:
    conn = parse_conn("cortege", json.dumps({"conn_type": "http", "host": "https://cortege.example/", "password": "t"}))
    assert http_base_url(conn) == "https://cortege.example"
    assert conn.password == "t"


def test_base_url_from_host_port_and_schema() -> None:
    conn = parse_conn("cortege", json.dumps({"conn_type": "http", "host": "cortege.example", "port": 8443}))
    assert http_base_url(conn) == "https://cortege.example:8443"


def test_password_never_in_repr_nor_redacted_dsn() -> None:
    conn = parse_conn("warehouse", "postgresql://loader:Sup3rS3cret@db:5432/dwh")
    assert "Sup3rS3cret" not in repr(conn)
    assert "Sup3rS3cret" not in redacted_dsn(conn)
