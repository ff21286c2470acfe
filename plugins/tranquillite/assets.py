"""Airflow Assets: what each DAG produces, for data-aware scheduling."""

from __future__ import annotations

from airflow.sdk import Asset

CORTEGE_RAW = Asset(name="raw.cortege_entries", uri="warehouse://raw/cortege_entries", group="raw")
MARTS = Asset(name="marts.fct_events", uri="warehouse://marts/fct_events", group="marts")

# Every ingestion Asset that should trigger a warehouse build.
INGESTION_ASSETS = [CORTEGE_RAW]
