"""The daily compliance pass: notices before each milestone, agreements that ended,
purges due, and the raw retention of each source."""

from __future__ import annotations

import html
import logging
import os
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import psycopg

from tranquillite.compliance.conventions import calendars, log_event, source_terms

log = logging.getLogger(__name__)

THRESHOLDS = (90, 60, 30)
AUTO_PURGE_DAYS_BEFORE_DEADLINE = 2
COMPLIANCE_SMTP_CONN_ID = "compliance_smtp"


def compliance_recipients() -> str:
    return os.environ.get("TRQ_COMPLIANCE_EMAIL", "conformite@localhost")


@dataclass(frozen=True)
class Notice:
    convention_id: str
    kind: str
    milestone: date
    days_before: int
    subject: str

    def as_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "milestone": self.milestone.isoformat()}


def _calendars(conn: psycopg.Connection, today: date) -> list[dict[str, Any]]:
    return [c for c in calendars(conn, today) if c["notified_on"] is not None]


def due_notices(conn: psycopg.Connection, today: date) -> list[Notice]:
    """One notice per milestone and threshold reached (90, 60, 30 days before; the day of
    an end), each sent once."""
    out = []
    for c in _calendars(conn, today):
        if c["status"] in ("purged",):
            continue
        milestones = []
        if c["next_renewal"] and c["tacit_renewal"] and c["status"] == "active":
            milestones.append(("renewal", c["next_renewal"], "renouvellement tacite"))
        if c["final_end"] and c["status"] == "active":
            milestones.append(("cap", c["final_end"], "fin de la durée maximale de quatre ans"))
        if c["effective_termination"]:
            milestones.append(("termination", c["effective_termination"], "résiliation"))
        for kind, when, label in milestones:
            left = (when - today).days
            if left < 0:
                continue
            reached = [d for d in THRESHOLDS if left <= d]
            days_before = min(reached) if reached else None
            if kind == "termination" and left == 0:
                days_before = 0
            if days_before is None:
                continue
            out.append(
                Notice(
                    c["convention_id"],
                    kind,
                    when,
                    days_before,
                    f"[Conformité] {c['convention_id']} : {label} le {when.isoformat()} (J-{left})",
                )
            )
        if c["effective_end"] and c["effective_end"] <= today and c["status"] != "purged":
            out.append(
                Notice(
                    c["convention_id"],
                    "purge_due",
                    c["destruction_deadline"],
                    (c["destruction_deadline"] - today).days,
                    f"[Conformité] {c['convention_id']} a pris fin le {c['effective_end'].isoformat()} :"
                    f" données à détruire avant le {c['destruction_deadline'].isoformat()}",
                )
            )
    sent = {
        (r[0], r[1], r[2], r[3])
        for r in conn.execute("select convention_id, kind, milestone, days_before from compliance.notifications")
    }
    return [n for n in out if (n.convention_id, n.kind, n.milestone, n.days_before) not in sent]


def send_notices(conn: psycopg.Connection, notices: list[Notice], context: dict | None) -> list[dict]:
    """E-mail the compliance officers (Airflow's SmtpNotifier) and record each notice."""
    if not notices:
        return []
    from airflow.providers.smtp.notifications.smtp import SmtpNotifier

    to = compliance_recipients()
    rows = "".join(
        f"<tr><td>{html.escape(n.convention_id)}</td><td>{n.kind}</td><td>{n.milestone}</td>"
        f"<td>{n.days_before}</td></tr>"
        for n in notices
    )
    SmtpNotifier(
        smtp_conn_id=COMPLIANCE_SMTP_CONN_ID,
        to=to,
        subject=notices[0].subject if len(notices) == 1 else f"[Conformité] {len(notices)} échéances de conventions",
        html_content=(
            "<p>Échéances des conventions de mise à disposition de données (articles 8 et 9) :</p>"
            "<table border='1'><tr><th>convention</th><th>échéance</th><th>date</th><th>jours avant</th></tr>"
            f"{rows}</table><p>Rapport : vue <code>compliance.convention_report</code>.</p>"
        ),
    ).notify(context or {})
    with conn.transaction():
        for n in notices:
            conn.execute(
                "insert into compliance.notifications (convention_id, kind, milestone, days_before, subject,"
                " recipients) values (%s, %s, %s, %s, %s, %s) on conflict do nothing",
                (n.convention_id, n.kind, n.milestone, n.days_before, n.subject, to),
            )
    return [n.as_dict() for n in notices]


def close_ended(conn: psycopg.Connection, today: date) -> list[str]:
    """Agreements whose end has come: status `ended`; their sources are refused from now on."""
    ended = []
    for c in _calendars(conn, today):
        if c["status"] in ("active", "terminating") and c["effective_end"] and c["effective_end"] <= today:
            with conn.transaction():
                conn.execute(
                    "update compliance.conventions set status = 'ended', updated_at = now() where convention_id = %s",
                    (c["convention_id"],),
                )
                log_event(
                    conn,
                    c["convention_id"],
                    "ended",
                    "convention_compliance",
                    f"ended {c['effective_end']}, destroy by {c['destruction_deadline']}",
                )
            ended.append(c["convention_id"])
    return ended


def purges_due(conn: psycopg.Connection, today: date) -> list[dict[str, str]]:
    """Ended agreements two days from their deadline with no purge under way: started automatically."""
    due = []
    for c in _calendars(conn, today):
        if c["status"] != "ended" or c["destruction_deadline"] is None:
            continue
        if (c["destruction_deadline"] - today).days > AUTO_PURGE_DAYS_BEFORE_DEADLINE:
            continue
        busy = conn.execute(
            "select 1 from compliance.purge_requests where convention_id = %s and status <> all(%s)",
            (c["convention_id"], ["rejected", "failed"]),
        ).fetchone()
        if busy:
            continue
        due.append(
            {
                "convention_id": c["convention_id"],
                "confirm_convention_id": c["convention_id"],
                "reason": f"automatic: destruction due by {c['destruction_deadline']} and not started",
                "origin": "automatic",
            }
        )
    return due


def apply_retention(conn: psycopg.Connection, today: date) -> list[dict[str, Any]]:
    """Raw payloads older than their source's retention: a superseded Cortège version, a feed
    record no longer delivered, a quarantined payload. The current version of a record stays
    while its agreement lasts: it is what the marts are built from."""
    out = []
    for terms in source_terms().values():
        cutoff = today - timedelta(days=terms.retention_days)
        with conn.transaction():
            if terms.source == "cortege":
                raw = conn.execute(
                    "delete from raw.cortege_entries r where r.received_at < %s and exists (select 1 from"
                    " raw.cortege_entries n where n.entry_id = r.entry_id and n.entry_version > r.entry_version)",
                    (cutoff,),
                ).rowcount
            else:
                raw = conn.execute(
                    "delete from raw.feed_records where source = %s and last_seen_at < %s", (terms.source, cutoff)
                ).rowcount
            quarantined = conn.execute(
                "delete from quarantine.records where source = %s and received_at < %s", (terms.source, cutoff)
            ).rowcount
            conn.execute(
                "insert into compliance.retention_runs (convention_id, source, retention_days, cutoff,"
                " raw_deleted, quarantine_deleted) values (%s, %s, %s, %s, %s, %s)",
                (terms.convention_id, terms.source, terms.retention_days, cutoff, raw, quarantined),
            )
        out.append({"source": terms.source, "cutoff": cutoff.isoformat(), "raw": raw, "quarantine": quarantined})
        if raw or quarantined:
            log.info(
                "%s: %d raw and %d quarantined payload(s) past %d days deleted",
                terms.source,
                raw,
                quarantined,
                terms.retention_days,
            )
    return out


def report(conn: psycopg.Connection) -> list[dict[str, Any]]:
    cur = conn.execute("select * from compliance.convention_report order by convention_id")
    names = [d.name for d in cur.description]
    return [
        {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in zip(names, row, strict=True)}
        for row in cur.fetchall()
    ]
