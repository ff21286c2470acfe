"""Purge requests and the four-eyes rule: two distinct compliance officers approve, neither
of them the requester. The warehouse holds the rule (migration 012): the requests and their
approvals change only through its functions, and an agreement's data goes only while a
twice-approved purge is under way. This module gives those functions clear errors."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

import psycopg

from tranquillite.compliance.conventions import ConventionError, calendar

log = logging.getLogger(__name__)

AUTOMATIC_REQUESTER = "convention_compliance"
# a request in one of these is under way (the unique index purge_requests_one_open agrees)
OPEN_STATUSES = ("awaiting_approval", "approved", "destroying", "destroyed")


class FourEyesError(PermissionError):
    """An approval that breaks the four-eyes rule."""


APPROVALS_NEEDED = 2


def compliance_officers() -> list[str]:
    """The Airflow users who may approve a purge (TRQ_COMPLIANCE_OFFICERS, comma-separated);
    the owner registers them in compliance.officers at set-up, which is what the warehouse checks."""
    from tranquillite.core.settings import logins

    return logins("TRQ_COMPLIANCE_OFFICERS")


def register_officers(conn: psycopg.Connection) -> list[str]:
    """As the owner, at set-up: compliance.officers becomes TRQ_COMPLIANCE_OFFICERS. An empty
    list leaves no one able to approve a purge."""
    from tranquillite.warehouse import register_logins

    return register_logins(conn, "compliance.officers", compliance_officers())


def open_request(
    conn: psycopg.Connection,
    *,
    convention_id: str,
    confirm_convention_id: str,
    reason: str,
    requested_by: str | None,
    dag_run_id: str | None,
) -> dict[str, Any]:
    """Check the form and record the request; returns it. Nothing is deleted here."""
    convention_id, confirm = (convention_id or "").strip(), (confirm_convention_id or "").strip()
    if not convention_id or confirm != convention_id:
        raise ConventionError("the agreement id typed again does not match: nothing is purged")
    if len((reason or "").strip()) < 10:
        raise ConventionError("say why the agreement's data is destroyed (10 characters at least)")
    dates = calendar(conn, convention_id)
    if dates["status"] == "purged":
        raise ConventionError(f"{convention_id} was already purged")
    origin = "automatic" if not requested_by or requested_by == AUTOMATIC_REQUESTER else "officer"
    requester = requested_by or AUTOMATIC_REQUESTER
    with conn.transaction():
        busy = conn.execute(
            "select purge_id, status from compliance.purge_requests where convention_id = %s and status = any(%s)",
            (convention_id, list(OPEN_STATUSES)),
        ).fetchone()
        if busy:
            raise ConventionError(f"purge {busy[0]} of {convention_id} is already {busy[1]}")
        purge_id = conn.execute(
            "select compliance.open_purge_request(%s, %s, %s, %s, %s)",
            (convention_id, reason.strip(), origin, requester, dag_run_id),
        ).fetchone()[0]
    log.info("purge %s of %s requested by %s", purge_id, convention_id, requester)
    return {
        "purge_id": purge_id,
        "convention_id": convention_id,
        "requested_by": requester,
        "origin": origin,
        "sources": list(dates["sources"]),
        "destruction_deadline": str(dates["destruction_deadline"]) if dates["destruction_deadline"] else None,
    }


def approvers_for(requested_by: str, *, already: Iterable[str] = ()) -> list[str]:
    """Who may answer the next approval step: the officers, less the requester and whoever
    approved already."""
    excluded = {requested_by, *already}
    return [u for u in compliance_officers() if u not in excluded]


def approvals_of(conn: psycopg.Connection, purge_id: int) -> list[str]:
    return [
        r[0]
        for r in conn.execute(
            "select approved_by from compliance.purge_approvals where purge_id = %s order by approved_at, approved_by",
            (purge_id,),
        )
    ]


def record_decision(conn: psycopg.Connection, purge_id: int, *, approved: bool, decided_by: str | None) -> str:
    """One officer's answer, checked by the warehouse (compliance.decide_purge): the requester,
    anyone not registered as an officer and an officer approving twice are refused. Returns
    the request's status: `awaiting_approval` after the first approval, `approved` after the
    second, `rejected`."""
    try:
        return conn.execute("select compliance.decide_purge(%s, %s, %s)", (purge_id, decided_by, approved)).fetchone()[
            0
        ]
    except psycopg.errors.InsufficientPrivilege as exc:
        raise FourEyesError(exc.diag.message_primary or "four eyes") from None
    except psycopg.errors.RaiseException as exc:
        raise ConventionError(exc.diag.message_primary or "purge request refused") from None


def mark(conn: psycopg.Connection, purge_id: int, status: str, *, finished: bool = False) -> None:
    """Move the request to its next state (compliance.set_purge_status refuses a state out of
    order, and `destroying` unless two officers approved)."""
    conn.execute("select compliance.set_purge_status(%s, %s, %s)", (purge_id, status, finished))


def close_unfinished(conn: psycopg.Connection, purge_id: int) -> None:
    """A rejected or failed run leaves no request open, so that a new one can be made, and no
    verification sample behind."""
    from tranquillite.compliance.purge import discard_samples

    discard_samples(conn, purge_id)
    row = conn.execute("select status from compliance.purge_requests where purge_id = %s", (purge_id,)).fetchone()
    if row is None or row[0] not in OPEN_STATUSES:
        return
    mark(conn, purge_id, "rejected" if row[0] == "awaiting_approval" else "failed", finished=True)
