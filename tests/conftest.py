"""Shared fixtures: a real PostGIS test database and a real Cortège sandbox server.

The local cluster is the one `make setup` starts; each test session gets its own
database in it, so the tests never touch the warehouse `make run` fills.

Every test gets one tier, from what it needs (`make test-unit` runs the first alone):
- `unit`: neither the database nor Airflow;
- `integration`: the session's PostGIS warehouse (the `warehouse_url` fixture, directly or
  through another), or real dbt;
- `e2e`: real Airflow processes (`tests/e2e`, the benchmark's run through the stack).
"""

from __future__ import annotations

import json
import os
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
SECRETS = ROOT / ".local" / "secrets"
TEST_DB = f"warehouse_test_{os.getpid()}"
PG_PORT = int(os.environ.get("TRQ_PG_PORT", "54329"))


CA = ROOT / ".local" / "tls" / "ca.crt"
# every TCP connection of the stack is TLS, checked against the set-up's CA
TLS = {"sslmode": "verify-full", "sslrootcert": str(CA)}
TLS_QUERY = f"sslmode=verify-full&sslrootcert={CA}"
# the run-time roles of migration 009, each with its Airflow connection
RUNTIME_ROLES = ("loader", "transformer", "compliance", "access_admin", "bi_reader")


E2E = ("tests/e2e/", "tests/bench/test_pipeline_bench.py")
# they make, sync and close habilitated logins, which are the cluster's, not one database's:
# `make test` runs them in one process with the e2e tier (scripts/test.sh), never beside it
CLUSTER_WIDE = ("tests/e2e/", "tests/plugins/access/")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        where = Path(str(item.fspath)).relative_to(ROOT).as_posix()
        if where.startswith(E2E):
            tier = "e2e"
        elif {"warehouse_url", "airflow_metadata"} & set(getattr(item, "fixturenames", ())) or where.startswith(
            "tests/dbt/"
        ):
            tier = "integration"
        else:
            tier = "unit"
        item.add_marker(getattr(pytest.mark, tier))
        if tier == "e2e":
            item.add_marker(pytest.mark.slow)
        if where.startswith(CLUSTER_WIDE):
            item.add_marker(pytest.mark.cluster)


def _superuser(dbname: str = "postgres") -> psycopg.Connection:
    password = (SECRETS / "pg_superuser").read_text().strip()
    return psycopg.connect(
        host="127.0.0.1", port=PG_PORT, user="postgres", password=password, dbname=dbname, autocommit=True, **TLS
    )


def role_url(role: str, dbname: str = TEST_DB) -> str:
    """The URL of a service role (trq_<role>) on the test warehouse, over verified TLS."""
    password = (SECRETS / f"pg_trq_{role}").read_text().strip()
    return f"postgresql://trq_{role}:{password}@127.0.0.1:{PG_PORT}/{dbname}?{TLS_QUERY}"


@pytest.fixture(scope="session")
def warehouse_url() -> Iterator[str]:
    """A fresh database with PostGIS and the project's migrations, as AIRFLOW_CONN_WAREHOUSE."""
    if not (SECRETS / "pg_superuser").exists():
        pytest.exit("the local stack is not set up: run `make test` (it runs `make setup` first)", returncode=2)
    app_password = (SECRETS / "pg_app").read_text().strip()
    with _superuser() as su:
        su.execute(f'drop database if exists "{TEST_DB}" with (force)')
        su.execute(f'create database "{TEST_DB}" owner tranquillite')
    with _superuser(TEST_DB) as su:
        su.execute("set client_min_messages = warning")
        su.execute("create extension if not exists postgis")
    url = f"postgresql://tranquillite:{app_password}@127.0.0.1:{PG_PORT}/{TEST_DB}?{TLS_QUERY}"
    urls = {"AIRFLOW_CONN_WAREHOUSE": url}
    urls.update({f"AIRFLOW_CONN_WAREHOUSE_{r.upper()}": role_url(r) for r in RUNTIME_ROLES})
    previous = {k: os.environ.get(k) for k in urls}
    os.environ.update(urls)
    from tranquillite.warehouse import connect, set_up

    with connect() as conn:
        set_up(conn)
    yield url
    for key, value in previous.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    with _superuser() as su:
        su.execute(f'drop database if exists "{TEST_DB}" with (force)')


@pytest.fixture(scope="session")
def airflow_metadata() -> Iterator[str]:
    """An Airflow metadata database of this session's own, migrated by Airflow itself (seconds),
    and AIRFLOW__DATABASE__SQL_ALCHEMY_CONN pointing at it for the session: the runs, HITL
    requests, XComs and users of the tests never meet a developer's (`make run`, `make up`)."""
    from bench.pipeline_bench import airflow_database

    url = os.environ["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
    name = f"airflow_test_{os.getpid()}"
    test_url = airflow_database(name)
    os.environ["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] = test_url
    try:
        yield test_url
    finally:
        os.environ["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] = url
        with _superuser() as su:
            su.execute(f'drop database if exists "{name}" with (force)')


@pytest.fixture
def db(warehouse_url: str) -> Iterator[psycopg.Connection]:
    """A connection to an emptied test warehouse (raw, quarantine and ledger)."""
    from tranquillite.warehouse import connect

    with connect() as conn:
        conn.execute(
            "truncate raw.cortege_entries, raw.feed_records, landing.feed_records, quarantine.records,"
            " ops.ingest_batches, ops.watermarks, ops.feed_deliveries, ops.masking_notices, geo.geocoder_cache"
        )
        yield conn


class MunicipalSandbox:
    """The real municipal sandbox (open data, road works, geocoder) on an ephemeral port,
    with the police's landing folder in a temporary directory."""

    def __init__(self, records: list, travaux: dict, folder: Path, apikey: str | None = None) -> None:
        from sandbox.municipal_server import State, serve

        self.state = State(records, travaux, apikey)
        self.server = serve(0, self.state)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.folder = folder
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def post(self, path: str, body: dict) -> None:
        requests.post(f"{self.url}{path}", json=body, timeout=10).raise_for_status()

    def stats(self) -> dict:
        return requests.get(f"{self.url}/_sandbox/stats", timeout=10).json()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def open_data_records() -> list[dict]:
    """The open-data events the municipal sandbox serves (a test module may override it)."""
    from sandbox import feeds_generator as gen

    return gen.ods_records(60)


@pytest.fixture
def municipal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, open_data_records: list[dict]
) -> Iterator[MunicipalSandbox]:
    """Small, deterministic feeds; the connections of the three feeds and the geocoder point at them."""
    from datetime import date

    from sandbox import feeds_generator as gen

    folder = tmp_path / "pm_landing"
    folder.mkdir()
    box = MunicipalSandbox(open_data_records, gen.travaux_collection(date(2026, 10, 26)), folder)
    http = json.dumps({"conn_type": "http", "host": box.url})
    for conn_id in ("OPENDATA_MARSEILLE", "TRAVAUX_VOIRIE", "GEOCODER"):
        monkeypatch.setenv(f"AIRFLOW_CONN_{conn_id}", http)
    monkeypatch.setenv("AIRFLOW_CONN_PM_LANDING", json.dumps({"conn_type": "fs", "extra": {"path": str(folder)}}))
    monkeypatch.setenv("TRQ_HTTP_BACKOFF_SECONDS", "0.01")
    yield box
    box.close()


class Sandbox:
    """A real Cortège sandbox server on an ephemeral loopback port."""

    def __init__(self, entries: list) -> None:
        from sandbox.cortege_server import SandboxState, serve

        self.token = f"test-{uuid.uuid4().hex}"
        self.state = SandboxState(entries, self.token)
        self.server = serve("127.0.0.1", 0, self.state)
        self.port = self.server.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def conn_json(self) -> str:
        return json.dumps({"conn_type": "http", "host": self.base_url, "password": self.token})

    def _post(self, path: str, body: dict) -> dict:
        resp = requests.post(
            f"{self.base_url}{path}", json=body, headers={"Authorization": f"Bearer {self.token}"}, timeout=10
        )
        resp.raise_for_status()
        return resp.json()

    def queue_faults(self, *faults: str, retry_after: int | float = 1) -> None:
        self._post("/_sandbox/faults", {"queue": list(faults), "retry_after": retry_after})

    def upsert(self, entries: list) -> None:
        self._post("/_sandbox/entries", {"entries": entries})

    def replace(self, entries: list) -> None:
        self._post("/_sandbox/entries", {"entries": entries, "replace": True})

    @property
    def requests_served(self) -> int:
        return self.state.requests

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="session")
def generated_histories() -> list[list[dict]]:
    from sandbox.generator import generate_histories

    return generate_histories(count=60, seed=7)


@pytest.fixture
def sandbox(generated_histories: list[list[dict]], monkeypatch: pytest.MonkeyPatch) -> Iterator[Sandbox]:
    """The sandbox serving the latest version of 60 generated entries; AIRFLOW_CONN_CORTEGE points at it."""
    box = Sandbox([versions[-1] for versions in generated_histories])
    monkeypatch.setenv("AIRFLOW_CONN_CORTEGE", box.conn_json)
    yield box
    box.close()


@pytest.fixture
def gov(db: psycopg.Connection) -> Iterator[psycopg.Connection]:
    """The warehouse as the DAG's compliance role sees it, with one registered DPO."""
    db.execute("truncate governance.schema_changes, governance.schema_change_log, governance.accepted_values cascade")
    before = [r[0] for r in db.execute("select login from governance.dpo_users")]
    db.execute("insert into governance.dpo_users (login) values ('DPO') on conflict do nothing")
    from tranquillite.core.settings import COMPLIANCE_CONN_ID
    from tranquillite.warehouse import connect

    with connect(COMPLIANCE_CONN_ID) as conn:
        yield conn
    db.execute("delete from governance.dpo_users where login <> all(%s)", (before,))
