"""The daily compliance pass: notices before each milestone, agreements that ended,
purges due, and the raw retention of each source."""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import psycopg

from tranquillite.compliance.conventions import calendars, log_event, source_terms
from tranquillite.core import settings

log = logging.getLogger(__name__)

THRESHOLDS = (90, 60, 30)
AUTO_PURGE_DAYS_BEFORE_DEADLINE = 2
COMPLIANCE_SMTP_CONN_ID = "compliance_smtp"


def compliance_recipients() -> str:
    return settings.compliance_email()


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


def close_ended(conn: psycopg.Connection, today: date, *, dry_run: bool = False) -> list[str]:
    """Agreements whose end has come: status `ended`; their sources are refused from now on.
    A dry run only names them."""
    ended = []
    for c in _calendars(conn, today):
        if c["status"] in ("active", "terminating") and c["effective_end"] and c["effective_end"] <= today:
            if dry_run:
                log.info("dry run: %s would be closed (ended %s)", c["convention_id"], c["effective_end"])
                ended.append(c["convention_id"])
                continue
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


def purges_due(conn: psycopg.Connection, today: date, *, dry_run: bool = False) -> list[dict[str, str]]:
    """Ended agreements two days from their deadline with no purge under way: started
    automatically. A dry run counts those it would have closed that day as ended."""
    due = []
    for c in _calendars(conn, today):
        would_end = dry_run and c["status"] in ("active", "terminating") and c["effective_end"] is not None
        ended = c["status"] == "ended" or (would_end and c["effective_end"] <= today)
        if not ended or c["destruction_deadline"] is None:
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


# a held record waits for its schema change: kept while the DPO has not decided, or approved
# and not replayed yet (replay_held moves it on); rejected or replayed ones age like the rest
_QUARANTINE_PAST_RETENTION = (
    "select quarantine_id from quarantine.records q where q.source = %(source)s and q.received_at < %(cutoff)s"
    " and not (q.status = 'held' and exists (select 1 from governance.schema_changes c"
    " where c.source = q.source and c.signature = any(q.drift_signatures) and c.status in ('pending', 'approved')))"
)
# a Cortège version superseded by a newer one in raw; the current version stays while the agreement lasts
_CORTEGE_SUPERSEDED = (
    "select r.entry_id, r.entry_version from raw.cortege_entries r where r.received_at < %(cutoff)s"
    " and exists (select 1 from raw.cortege_entries n where n.entry_id = r.entry_id"
    " and n.entry_version > r.entry_version)"
)
# a feed content that a newer content of the same record replaced, and not seen since the cutoff
_FEED_SUPERSEDED = (
    "select r.record_id, r.payload_sha256 from raw.feed_records r where r.source = %(source)s"
    " and r.last_seen_at < %(cutoff)s and exists (select 1 from raw.feed_records n where n.source = r.source"
    " and n.record_id = r.record_id and (n.last_seen_at, n.received_at) > (r.last_seen_at, r.received_at))"
)
# the current content of each record not seen since the cutoff, with its end and start as
# sent, and, for a file feed, when a later delivery of its file left it out (closed it)
_FEED_CURRENT_UNSEEN = (
    "select r.record_id, r.payload_sha256, r.payload #>> %(ends)s, r.payload #>> %(starts)s,"
    " (select min(d.delivered_at) from ops.feed_deliveries d where d.source = r.source"
    "  and d.delivery = r.delivery and d.delivered_at > r.last_seen_at)"
    " from raw.feed_records r where r.source = %(source)s and r.last_seen_at < %(cutoff)s"
    " and not exists (select 1 from raw.feed_records n where n.source = r.source and n.record_id = r.record_id"
    " and (n.last_seen_at, n.received_at) > (r.last_seen_at, r.received_at))"
)


def _day_of(value: str | None) -> date | None:
    """The calendar day of a date or instant as a source writes it; None when it is not one."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00")).date()
    except ValueError:
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None


@dataclass
class RetentionPlan:
    """What one source's retention pass would delete, found before anything is deleted."""

    source: str
    convention_id: str
    retention_days: int
    cutoff: date
    cortege: list[tuple[Any, int]]
    feed: list[tuple[str, str]]
    quarantine: list[int]
    kept_undated: int

    def counts(self, *, dry_run: bool) -> dict[str, Any]:
        return {
            "source": self.source,
            "cutoff": self.cutoff.isoformat(),
            "raw": len(self.cortege) + len(self.feed),
            "quarantine": len(self.quarantine),
            "kept_undated": self.kept_undated,
            "dry_run": dry_run,
        }


def plan_retention(conn: psycopg.Connection, terms: Any, today: date) -> RetentionPlan:
    """A record stays while its source still publishes it: for a record no longer received
    (an incremental feed never sends an unchanged record again, a file answers 304), its own
    dates decide, the end of the event (else its start) plus the retention; a work site that
    a later file left out goes at that file's date plus the retention. A record with no
    readable date stays (counted), until its agreement's purge."""
    cutoff = today - timedelta(days=terms.retention_days)
    args: dict[str, Any] = {"source": terms.source, "cutoff": cutoff}
    cortege: list[tuple[Any, int]] = []
    feed: list[tuple[str, str]] = []
    undated = 0
    if terms.source == "cortege":
        cortege = [(r[0], r[1]) for r in conn.execute(_CORTEGE_SUPERSEDED, args)]
    else:
        from tranquillite.sources.feeds.config import feed as feed_config

        config = feed_config(terms.source)
        feed = [(r[0], r[1]) for r in conn.execute(_FEED_SUPERSEDED, args)]
        args |= {"ends": config.ends_path.split("."), "starts": config.starts_path.split(".")}
        for record_id, sha, ends, starts, closed_at in conn.execute(_FEED_CURRENT_UNSEEN, args):
            if closed_at is not None and closed_at.date() < cutoff:
                feed.append((record_id, sha))
                continue
            last_day = _day_of(ends) or _day_of(starts)
            if last_day is None:
                undated += 1
            elif last_day < cutoff:
                feed.append((record_id, sha))
    quarantine = [r[0] for r in conn.execute(_QUARANTINE_PAST_RETENTION, args)]
    return RetentionPlan(
        terms.source, terms.convention_id, terms.retention_days, cutoff, cortege, feed, quarantine, undated
    )


def apply_retention(conn: psycopg.Connection, today: date, *, dry_run: bool = False) -> list[dict[str, Any]]:
    """Raw payloads past their source's retention, and quarantined ones that wait for no
    decision. Every source's plan is logged with its counts before anything is deleted; a
    dry run stops there."""
    plans = [plan_retention(conn, terms, today) for terms in source_terms().values()]
    for plan in plans:
        log.info(
            "retention preview%s: %s would lose %d raw and %d quarantined payload(s) older than %s (%d days);"
            " %d current record(s) without a readable date kept",
            " (dry run)" if dry_run else "",
            plan.source,
            len(plan.cortege) + len(plan.feed),
            len(plan.quarantine),
            plan.cutoff,
            plan.retention_days,
            plan.kept_undated,
        )
    if dry_run:
        return [plan.counts(dry_run=True) for plan in plans]
    out = []
    for plan in plans:
        with conn.transaction():
            raw = 0
            if plan.cortege:
                raw += conn.execute(
                    "delete from raw.cortege_entries r using unnest(%s::uuid[], %s::int[]) as k(id, version)"
                    " where r.entry_id = k.id and r.entry_version = k.version",
                    ([k[0] for k in plan.cortege], [k[1] for k in plan.cortege]),
                ).rowcount
            if plan.feed:
                raw += conn.execute(
                    "delete from raw.feed_records r using unnest(%s::text[], %s::text[]) as k(id, sha)"
                    " where r.source = %s and r.record_id = k.id and r.payload_sha256 = k.sha",
                    ([k[0] for k in plan.feed], [k[1] for k in plan.feed], plan.source),
                ).rowcount
            quarantined = 0
            if plan.quarantine:
                quarantined = conn.execute(
                    "delete from quarantine.records where quarantine_id = any(%s)", (plan.quarantine,)
                ).rowcount
            conn.execute(
                "insert into compliance.retention_runs (convention_id, source, retention_days, cutoff,"
                " raw_deleted, quarantine_deleted) values (%s, %s, %s, %s, %s, %s)",
                (plan.convention_id, plan.source, plan.retention_days, plan.cutoff, raw, quarantined),
            )
        out.append({**plan.counts(dry_run=False), "raw": raw, "quarantine": quarantined})
        if raw or quarantined:
            log.info(
                "%s: %d raw and %d quarantined payload(s) past %d days deleted",
                plan.source,
                raw,
                quarantined,
                plan.retention_days,
            )
    return out


def report(conn: psycopg.Connection) -> list[dict[str, Any]]:
    cur = conn.execute("select * from compliance.convention_report order by convention_id")
    names = [d.name for d in cur.description]
    return [
        {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in zip(names, row, strict=True)}
        for row in cur.fetchall()
    ]
