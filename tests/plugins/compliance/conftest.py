"""Fixtures of the compliance tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def purge_places(tmp_path, monkeypatch: pytest.MonkeyPatch, warehouse_url: str, airflow_metadata: str):
    """Everything a purge writes, cleans or checks outside the warehouse in temporary folders,
    an Airflow metadata database of the tests' own, and three registered officers: never the
    developer's stack."""
    from tranquillite.compliance import approvals
    from tranquillite.warehouse import connect

    for var, folder in (
        ("TRQ_GX_ROOT", "gx"),
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
