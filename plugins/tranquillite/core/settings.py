"""Where things live, and every setting the environment gives: the one module that reads it.

Each setting is read when it is asked for, never at import, so an operator's or a test's
change takes effect in the next call; `ROOT` and `DBT_PROJECT_DIR`, which say where the
deployment is, are the exceptions. Writing the environment for a child process (dbt, GX) is
not reading it, and happens where the child is started.
"""

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
    max_pages: int = 2000
    # Ask again from a little before the high-water mark: clocks are not in step (contract).
    lookback_minutes: int = 10
    max_attempts: int = 6
    backoff_base_seconds: float = 1.0
    backoff_max_seconds: float = 60.0
    # A Retry-After longer than this is not slept through in a worker slot: the run
    # fails as unavailable and Airflow's retry (or the next schedule) asks again.
    retry_after_max_seconds: float = 300.0
    timeout_seconds: float = 30.0


# the defaults; cortege_settings() is what the environment makes of them
CORTEGE = CortegeSettings()


def cortege_settings() -> CortegeSettings:
    return CortegeSettings(
        max_pages=_int("TRQ_CORTEGE_MAX_PAGES", CORTEGE.max_pages),
        lookback_minutes=_int("TRQ_CORTEGE_LOOKBACK_MINUTES", CORTEGE.lookback_minutes),
        max_attempts=http_max_attempts(),
        backoff_base_seconds=http_backoff_seconds(),
    )


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
    return GateLimits(
        max_text_chars=_int("TRQ_GATE_MAX_TEXT_CHARS", GateLimits.max_text_chars),
        max_depth=_int("TRQ_GATE_MAX_DEPTH", GateLimits.max_depth),
        max_array_items=_int("TRQ_GATE_MAX_ARRAY_ITEMS", GateLimits.max_array_items),
        max_object_keys=_int("TRQ_GATE_MAX_OBJECT_KEYS", GateLimits.max_object_keys),
        clock_skew_minutes=_int("TRQ_GATE_CLOCK_SKEW_MINUTES", GateLimits.clock_skew_minutes),
    )


def logins(variable: str) -> list[str]:
    """A comma-separated list of Airflow logins from the environment (who answers a human step)."""
    return [u.strip() for u in _str(variable, "").split(",") if u.strip()]


# ------------------------------------------------------------------ reading the environment


def _str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _float(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


def _path(name: str, default: Path) -> Path:
    return Path(os.environ.get(name, default))


# read no more: what each says now lives elsewhere (the set-up warns when one is still set)
RETIRED = {"TRQ_CORTEGE_RETENTION_DAYS": "compliance/conventions.yml (sources.cortege.retention_days)"}


def retired_still_set() -> dict[str, str]:
    """Each retired variable still set in the environment, and where its setting lives now."""
    return {name: home for name, home in RETIRED.items() if name in os.environ}


def named_secret(variable: str) -> str | None:
    """A secret a command is told to take from the environment (`--password-from VARIABLE`), so
    that it never appears on a command line."""
    return os.environ.get(variable) or None


def connection_env(conn_id: str) -> str | None:
    """An Airflow connection given by the environment (`AIRFLOW_CONN_<ID>`), if any."""
    return os.environ.get(f"AIRFLOW_CONN_{conn_id.upper()}")


# ------------------------------------------------------------------ HTTP


def http_max_attempts() -> int:
    return _int("TRQ_HTTP_MAX_ATTEMPTS", 6)


def http_backoff_seconds() -> float:
    return _float("TRQ_HTTP_BACKOFF_SECONDS", 1.0)


def http_max_response_bytes(default: int) -> int:
    """The largest answer read into memory; beyond it the pull stops with a clear error."""
    return _int("TRQ_HTTP_MAX_RESPONSE_BYTES", default)


# ------------------------------------------------------------------ ingestion


def feeds_export_limits() -> tuple[int, int]:
    """An Opendatasoft export's longest line and largest whole, in bytes (8 MiB, 1 GiB)."""
    return _int("TRQ_FEEDS_MAX_LINE_BYTES", 8 * 2**20), _int("TRQ_FEEDS_EXPORT_MAX_BYTES", 2**30)


def quarantine_alert() -> tuple[float, int]:
    """The share of a batch quarantined that alerts, from how many records."""
    return _float("TRQ_QUARANTINE_ALERT_SHARE", 0.2), _int("TRQ_QUARANTINE_ALERT_MIN", 10)


def working_hours() -> str:
    return _str("TRQ_WORKING_HOURS", "mon-fri 08:00-19:00")


def cortege_silence_minutes() -> int:
    return _int("TRQ_CORTEGE_SILENCE_MINUTES", 240)


def gx_root() -> Path:
    """The Great Expectations project (suites' results, Data Docs)."""
    return _path("TRQ_GX_ROOT", ROOT / ".local")


def gx_retention_days() -> float:
    return _float("TRQ_GX_RETENTION_DAYS", 30)


def names_cache_dir() -> str | None:
    return os.environ.get("TRQ_NAMES_CACHE_DIR")


# ------------------------------------------------------------------ geography and the map


def geocoder_min_score() -> float:
    """Below this score, an address found is not trusted (the event waits for a person)."""
    return _float("TRQ_GEOCODER_MIN_SCORE", 0.6)


def zones_geojson() -> str:
    return _str("TRQ_ZONES_GEOJSON", "")


def map_dir() -> Path:
    return _path("TRQ_MAP_DIR", ROOT / ".local" / "map")


def map_tiles() -> str:
    return _str("TRQ_MAP_TILES", "OpenStreetMap")


# ------------------------------------------------------------------ who is told


def ops_email() -> str:
    return _str("TRQ_OPS_EMAIL", "data-engineering@localhost")


def ops_webhook_endpoint() -> str:
    return _str("TRQ_OPS_WEBHOOK_ENDPOINT", "/alerts")


def dpo_email() -> str:
    return _str("TRQ_DPO_EMAIL", "dpo@localhost")


def compliance_email() -> str:
    return _str("TRQ_COMPLIANCE_EMAIL", "conformite@localhost")


# ------------------------------------------------------------------ where files go


def certificate_dir() -> Path:
    return _path("TRQ_CERTIFICATE_DIR", ROOT / ".local" / "compliance" / "certificates")


def certificate_font_dir() -> Path:
    return _path("TRQ_CERTIFICATE_FONT_DIR", Path("/usr/share/fonts/truetype/dejavu"))


def habilitation_secrets_dir() -> Path:
    return _path("TRQ_HABILITATION_SECRETS", ROOT / ".local" / "secrets" / "habilitations")


def airflow_log_dir() -> Path:
    """Airflow's task logs (the purge deletes an agreement's)."""
    return _path("AIRFLOW__LOGGING__BASE_LOG_FOLDER", ROOT / ".local" / "airflow" / "logs")


def run_log_dir() -> Path:
    """`make run`'s and `make up`'s own logs."""
    return _path("TRQ_RUN_LOG_DIR", ROOT / ".local" / "logs")


def airflow_metadata_url() -> str:
    return _str("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", "")


def openlineage_transport() -> str:
    return _str("AIRFLOW__OPENLINEAGE__TRANSPORT", "")
