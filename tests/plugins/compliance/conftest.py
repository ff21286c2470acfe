"""Fixtures of the compliance tests."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator

import pytest

from tests.conftest import _superuser


@pytest.fixture(scope="session")
def airflow_metadata() -> Iterator[str]:
    """A metadata database of this test's own, migrated by Airflow itself."""
    url = os.environ["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
    name = "trq_test_airflow_meta"
    test_url = url.replace("/airflow?", f"/{name}?")
    assert test_url != url
    with _superuser() as su:
        su.execute(f'drop database if exists "{name}" with (force)')
        su.execute(f'create database "{name}" owner airflow')
    done = subprocess.run(
        ["airflow", "db", "migrate"],
        env={**os.environ, "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": test_url},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    yield test_url
    with _superuser() as su:
        su.execute(f'drop database if exists "{name}" with (force)')


@pytest.fixture
def purge_places(tmp_path, monkeypatch: pytest.MonkeyPatch, airflow_metadata: str):
    """Everything a purge writes, cleans or checks outside the warehouse in temporary folders,
    an Airflow metadata database of the tests' own, and three registered officers: never the
    developer's stack."""
    from tranquillite import validation
    from tranquillite.compliance import approvals
    from tranquillite.warehouse import connect

    monkeypatch.setattr(validation, "GX_ROOT", tmp_path / "gx")
    for var, folder in (
        ("TRQ_MAP_DIR", "map"),
        ("TRQ_CERTIFICATE_DIR", "certificates"),
        ("AIRFLOW__LOGGING__BASE_LOG_FOLDER", "logs"),
        ("TRQ_RUN_LOG_DIR", "run-logs"),
        ("DBT_TARGET_PATH", "dbt"),
    ):
        monkeypatch.setenv(var, str(tmp_path / folder))
    monkeypatch.setenv("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", airflow_metadata)
    monkeypatch.setenv("TRQ_COMPLIANCE_OFFICERS", "conformite1,conformite2,conformite3")
    with connect() as owner:  # what the set-up does with the officers it is given
        approvals.register_officers(owner)
    return tmp_path
