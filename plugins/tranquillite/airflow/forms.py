"""What the DAGs that are Params forms share: who triggered them, and one act in the warehouse.

A form records an act (an agreement, a habilitation...); a refusal by the library
is the user's error, so it fails the run at once instead of retrying.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def actor(dag_run: Any) -> str | None:
    """The Airflow user who triggered the run (the UI or REST API login)."""
    return getattr(dag_run, "triggering_user_name", None) if dag_run else None


def act(conn_id: str, refusals: tuple[type[Exception], ...], fn: Callable[[Any], T]) -> T:
    """Run `fn(conn)` as the form's warehouse role; a refusal fails the run, without retrying."""
    from airflow.sdk.exceptions import AirflowFailException

    from tranquillite.warehouse import connect, ensure_migrated

    try:
        with connect(conn_id) as conn:
            ensure_migrated(conn)
            return fn(conn)
    except refusals as exc:
        raise AirflowFailException(str(exc)) from exc
