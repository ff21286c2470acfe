"""What every DAG of the platform shares: owners, tags from one catalogue, retries.

The DAG policy test (tests/dags/test_dag_policy.py) enforces these.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tranquillite.airflow.alerts import failure_notifiers
from tranquillite.sources.feeds.registry import FEEDS

OWNER = "data-engineering"
START_DATE = datetime(2026, 1, 1, tzinfo=UTC)

# The tag catalogue: a DAG may only use these.
TAGS = {
    "ingestion": "pulls a source into raw",
    "transformation": "builds the warehouse with dbt",
    "source:cortege": "Cortège, the prefecture's entries (convention PP13-BDTP-2019)",
    "layer:raw": "writes the raw landing schema",
    "layer:marts": "writes the marts",
    "governance": "decisions of the DPO and compliance officers",
    "compliance": "data agreements: their calendar, retention and the destruction of their data",
    "access": "who may consult the warehouse: habilitations and their logins",
    "operations": "checks that watch the pipelines themselves",
    "geocoding": "addresses located through the BAN geocoder",
    "tension": "zones of tension, conflicts between events and the map",
    "source:municipal": "the City's own feeds (contracts/municipal-feeds-v1.md)",
    # one tag per feed, from its configuration (feeds/*.yml)
    **{f"source:{source}": spec.get("title", source) for source, spec in FEEDS.items()},
}

# No task runs unbounded: a server that trickles bytes or a stuck lock fails the try, and the
# retry (or the next schedule) starts clean. A human step sets its own, longer, timeout.
TASK_TIMEOUT = timedelta(hours=3)

DEFAULT_ARGS = {
    "owner": OWNER,
    "execution_timeout": TASK_TIMEOUT,
    "on_failure_callback": failure_notifiers(),
    "retries": 2,
    "retry_delay": timedelta(seconds=30),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(minutes=10),
}


# Airflow roles (FAB auth manager, tranquillite.access.airflow_roles). Data engineers reach
# every DAG through global permissions; the others only the DAGs that name them here.
ROLE_DATA_ENGINEER = "DataEngineer"
ROLE_COMPLIANCE = "ComplianceOfficer"
ROLE_DPO = "DPO"
ROLE_PREFECTURE_VALIDATOR = "PrefectureValidator"


def access_control(*roles: str) -> dict[str, dict[str, set[str]]]:
    """DAG-level access: read the DAG and its runs, trigger it (a HITL step is answered on a run)."""
    return {role: {"DAGs": {"can_read", "can_edit"}, "DAG Runs": {"can_read", "can_create"}} for role in roles}


def tags(*names: str) -> list[str]:
    unknown = set(names) - set(TAGS)
    if unknown:
        raise ValueError(f"tags not in the catalogue (tranquillite.airflow.policy.TAGS): {sorted(unknown)}")
    return list(names)


def ingestion_params(since: str, everything: str) -> dict:
    """The Params form of every ingestion DAG: ask again from an instant, or ask for everything."""
    from airflow.sdk import Param

    return {
        "updated_since": Param(
            None, type=["null", "string"], format="date-time", title="Ask from (RFC 3339)", description=since
        ),
        "full_refresh": Param(False, type="boolean", title="Everything again", description=everything),
    }
