"""Where things live, and the per-source settings that are configuration, not code."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
ROOT = Path(os.environ.get("TRQ_ROOT", PACKAGE_DIR.parent.parent))
CONTRACTS_DIR = ROOT / "contracts"
MIGRATIONS_DIR = PACKAGE_DIR / "migrations"
DBT_PROJECT_DIR = Path(os.environ.get("DBT_PROJECT_DIR", ROOT / "dbt_project"))

# The warehouse owner: migrations and set-up only. At run time each component
# connects as its own least-privilege role (migration 009).
WAREHOUSE_CONN_ID = "warehouse"
LOADER_CONN_ID = "warehouse_loader"
TRANSFORMER_CONN_ID = "warehouse_transformer"
COMPLIANCE_CONN_ID = "warehouse_compliance"
ACCESS_CONN_ID = "warehouse_access_admin"
CORTEGE_CONN_ID = "cortege"


@dataclass(frozen=True)
class CortegeSettings:
    """How the platform pulls Cortège (export API v1)."""

    # its agreement and retention: compliance/conventions.yml, as for every source
    source: str = "cortege"
    page_size: int = 500
    # a run stops with a clear error past this many pages (a server that never ends)
    max_pages: int = int(os.environ.get("TRQ_CORTEGE_MAX_PAGES", "2000"))
    # Ask again from a little before the high-water mark: clocks are not in step (contract).
    lookback_minutes: int = int(os.environ.get("TRQ_CORTEGE_LOOKBACK_MINUTES", "10"))
    max_attempts: int = int(os.environ.get("TRQ_HTTP_MAX_ATTEMPTS", "6"))
    backoff_base_seconds: float = float(os.environ.get("TRQ_HTTP_BACKOFF_SECONDS", "1.0"))
    backoff_max_seconds: float = 60.0
    # A Retry-After longer than this is not slept through in a worker slot: the run
    # fails as unavailable and Airflow's retry (or the next schedule) asks again.
    retry_after_max_seconds: float = 300.0
    timeout_seconds: float = 30.0


CORTEGE = CortegeSettings()


@dataclass(frozen=True)
class GateLimits:
    """What one record may hold before the gate quarantines it (`too_large`, `too_deep`):
    beyond these, a later step (the detectors, jsonb, GX, dbt) would stall or fail."""

    max_text_chars: int = 100_000
    max_depth: int = 32
    max_array_items: int = 10_000
    max_object_keys: int = 1_000
    # an updated_at later than the server's clock (or ours) plus this is an error, not news
    clock_skew_minutes: int = 10


def gate_limits() -> GateLimits:
    """Read when called (never at import): a test or an operator can change one."""
    env = os.environ.get
    return GateLimits(
        max_text_chars=int(env("TRQ_GATE_MAX_TEXT_CHARS", GateLimits.max_text_chars)),
        max_depth=int(env("TRQ_GATE_MAX_DEPTH", GateLimits.max_depth)),
        max_array_items=int(env("TRQ_GATE_MAX_ARRAY_ITEMS", GateLimits.max_array_items)),
        max_object_keys=int(env("TRQ_GATE_MAX_OBJECT_KEYS", GateLimits.max_object_keys)),
        clock_skew_minutes=int(env("TRQ_GATE_CLOCK_SKEW_MINUTES", GateLimits.clock_skew_minutes)),
    )


def logins(variable: str) -> list[str]:
    """A comma-separated list of Airflow logins from the environment (who answers a human step)."""
    return [u.strip() for u in os.environ.get(variable, "").split(",") if u.strip()]
