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
