"""Purge requests and the four-eyes rule: the officer who asks is never the one who approves."""

from __future__ import annotations

import logging
import os
from typing import Any

import psycopg

from tranquillite.compliance.conventions import ConventionError, calendar, log_event

log = logging.getLogger(__name__)

AUTOMATIC_REQUESTER = "convention_compliance"
# a request in one of these is under way (the unique index purge_requests_one_open agrees)
OPEN_STATUSES = ("awaiting_approval", "approved", "destroying", "destroyed")


class FourEyesError(PermissionError):
    """An approval that breaks the four-eyes rule."""


def compliance_officers() -> list[str]:
    """The Airflow users who may approve a purge (TRQ_COMPLIANCE_OFFICERS, comma-separated)."""
    return [u.strip() for u in os.environ.get("TRQ_COMPLIANCE_OFFICERS", "").split(",") if u.strip()]


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
            "insert into compliance.purge_requests (convention_id, reason, origin, requested_by, dag_run_id)"
            " values (%s, %s, %s, %s, %s) returning purge_id",
            (convention_id, reason.strip(), origin, requester, dag_run_id),
        ).fetchone()[0]
        log_event(conn, convention_id, "purge_requested", requester, f"purge {purge_id} ({origin})")
    log.info("purge %s of %s requested by %s", purge_id, convention_id, requester)
    return {
        "purge_id": purge_id,
        "convention_id": convention_id,
        "requested_by": requester,
        "origin": origin,
        "sources": list(dates["sources"]),
        "destruction_deadline": str(dates["destruction_deadline"]) if dates["destruction_deadline"] else None,
    }


def approvers_for(requested_by: str) -> list[str]:
    return [u for u in compliance_officers() if u != requested_by]


def record_decision(conn: psycopg.Connection, purge_id: int, *, approved: bool, decided_by: str | None) -> str:
    """The second officer's answer. Refuses the requester, and anyone not a compliance officer
    when the list of officers is configured."""
    with conn.transaction():
        row = conn.execute(
            "select convention_id, requested_by, status from compliance.purge_requests where purge_id = %s for update",
            (purge_id,),
        ).fetchone()
        if row is None:
            raise ConventionError(f"no purge request {purge_id}")
        convention_id, requested_by, status = row
        if status != "awaiting_approval":
            raise ConventionError(f"purge {purge_id} is {status}, not awaiting approval")
        if not decided_by:
            raise FourEyesError(f"purge {purge_id}: the answer names no user")
        if decided_by == requested_by:
            raise FourEyesError(f"purge {purge_id}: {decided_by} asked for it and cannot approve it (four eyes)")
        officers = compliance_officers()
        if approved and officers and decided_by not in officers:
            raise FourEyesError(f"purge {purge_id}: {decided_by} is not a compliance officer")
        decision = "approved" if approved else "rejected"
        conn.execute(
            "update compliance.purge_requests set status = %s, approved_by = %s, decided_at = now()"
            " where purge_id = %s",
            (decision, decided_by if approved else None, purge_id),
        )
        log_event(conn, convention_id, f"purge_{decision}", decided_by, f"purge {purge_id}")
    return decision


def mark(conn: psycopg.Connection, purge_id: int, status: str, *, finished: bool = False) -> None:
    conn.execute(
        "update compliance.purge_requests set status = %s,"
        " finished_at = case when %s then now() else finished_at end where purge_id = %s",
        (status, finished, purge_id),
    )


def close_unfinished(conn: psycopg.Connection, purge_id: int) -> None:
    """A rejected or failed run leaves no request open, so that a new one can be made."""
    conn.execute(
        "update compliance.purge_requests set status = case status when 'awaiting_approval' then 'rejected'"
        " else 'failed' end, finished_at = now() where purge_id = %s and status = any(%s)",
        (purge_id, list(OPEN_STATUSES)),
    )
