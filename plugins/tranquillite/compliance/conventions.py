"""The agreements the platform holds data under, and their calendar.

The dates are computed by one SQL function, `compliance.convention_dates` (migration
008), so that the DAGs, the BI report and the tests read the same arithmetic.
"""

from __future__ import annotations

import copy
import functools
import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
import yaml

from tranquillite.core.settings import CORTEGE, ROOT

log = logging.getLogger(__name__)

CONVENTIONS_FILE = ROOT / "compliance" / "conventions.yml"
FIELDS = (
    "convention_id",
    "partner",
    "object",
    "sources",
    "signed_on",
    "notified_on",
    "term_months",
    "tacit_renewal",
    "cap_months",
    "notice_months",
    "destruction_days",
)


class ConventionError(ValueError):
    """A request the agreement's state refuses: says which agreement and why."""


class IngestionRefusedError(RuntimeError):
    """The agreement covering a source is not in force: nothing may be pulled."""


@dataclass(frozen=True)
class SourceTerms:
    source: str
    convention_id: str
    retention_days: int
    partner: str = ""


def _read() -> list[dict[str, Any]]:
    """The file's agreements, parsed once for each version of the file (a set-up and every
    ingestion ask which agreement covers a source several times)."""
    stat = CONVENTIONS_FILE.stat()
    return copy.deepcopy(_parsed(CONVENTIONS_FILE, stat.st_mtime_ns, stat.st_size))


@functools.lru_cache(maxsize=4)
def _parsed(path: Path, _mtime_ns: int, _size: int) -> list[dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return list(data.get("conventions") or [])


def known_sources() -> set[str]:
    """Every source the platform pulls: Cortège and each generated feed."""
    from tranquillite.sources.feeds.registry import FEEDS

    return {CORTEGE.source, *FEEDS}


def source_terms() -> dict[str, SourceTerms]:
    """Each source's agreement and raw retention, from `compliance/conventions.yml` alone.

    Refuses a source no agreement covers (nothing could say when its data must go), a
    source under two agreements, a listed source the platform does not know (a typo would
    leave the real one uncovered) and a retention under one day."""
    terms: dict[str, SourceTerms] = {}
    for item in _read():
        sources = item.get("sources") or {}
        if not isinstance(sources, dict):
            raise ConventionError(
                f"{CONVENTIONS_FILE.name}: {item.get('convention_id')}: sources maps each source to its retention_days"
            )
        if not item.get("convention_id"):
            raise ConventionError(f"{CONVENTIONS_FILE.name}: an agreement has no convention_id")
        for source, spec in sources.items():
            days = spec.get("retention_days") if isinstance(spec, dict) else None
            if not isinstance(days, int) or isinstance(days, bool) or days < 1:
                raise ConventionError(
                    f"{CONVENTIONS_FILE.name}: {item.get('convention_id')}: {source}.retention_days must be a"
                    " whole number of days, at least 1"
                )
            if source in terms:
                raise ConventionError(
                    f"{CONVENTIONS_FILE.name}: {source} is under two agreements"
                    f" ({terms[source].convention_id}, {item.get('convention_id')})"
                )
            terms[source] = SourceTerms(source, str(item["convention_id"]), days, str(item.get("partner") or ""))
    known = known_sources()
    if missing := sorted(known - set(terms)):
        raise ConventionError(f"{CONVENTIONS_FILE.name}: no agreement covers {', '.join(missing)}")
    if unknown := sorted(set(terms) - known):
        raise ConventionError(f"{CONVENTIONS_FILE.name}: {', '.join(unknown)}: not a source of the platform")
    return terms


def agreement_of(source: str) -> SourceTerms:
    """The agreement that covers one source, and its retention."""
    terms = source_terms()
    if source not in terms:
        raise ConventionError(f"{CONVENTIONS_FILE.name}: no agreement covers {source}")
    return terms[source]


def configured() -> list[dict[str, Any]]:
    out = []
    for item in _read():
        missing = [k for k in ("convention_id", "partner", "object", "sources") if not item.get(k)]
        if missing:
            raise ConventionError(f"{CONVENTIONS_FILE.name}: an agreement lacks {', '.join(missing)}")
        row = {k: item.get(k) for k in FIELDS}
        row["sources"] = sorted(item["sources"])
        out.append(row)
    return out


def seed(conn: psycopg.Connection) -> int:
    """The configured agreements that the warehouse does not hold yet; returns how many.
    Fails first if a source has no agreement, or two."""
    source_terms()
    added = 0
    for item in configured():
        row = conn.execute(
            "insert into compliance.conventions (convention_id, partner, object, sources, signed_on, notified_on,"
            " term_months, tacit_renewal, cap_months, notice_months, destruction_days, registered_by)"
            " values (%(convention_id)s, %(partner)s, %(object)s, %(sources)s, %(signed_on)s, %(notified_on)s,"
            " %(term_months)s, coalesce(%(tacit_renewal)s, true), %(cap_months)s, coalesce(%(notice_months)s, 2),"
            " coalesce(%(destruction_days)s, 15), 'conventions.yml')"
            " on conflict (convention_id) do nothing returning convention_id",
            item,
        ).fetchone()
        if row:
            log_event(conn, item["convention_id"], "registered", "conventions.yml", "seeded from the configuration")
            added += 1
            continue
        # the file is the one home of which sources an agreement covers: the warehouse's copy
        # (what a purge destroys) follows it while the agreement is active
        changed = conn.execute(
            "update compliance.conventions set sources = %(sources)s, updated_at = now()"
            " where convention_id = %(convention_id)s and status = 'active' and sources <> %(sources)s"
            " returning convention_id",
            item,
        ).fetchone()
        if changed:
            log_event(conn, item["convention_id"], "updated", "conventions.yml", f"sources {item['sources']}")
    return added


def register_retention(conn: psycopg.Connection) -> None:
    """As the owner, at set-up: each source's retention where the warehouse's delete guard
    reads it (compliance.source_retention)."""
    terms = source_terms()
    with conn.transaction():
        conn.execute("delete from compliance.source_retention where source <> all(%s)", (list(terms),))
        for t in terms.values():
            conn.execute(
                "insert into compliance.source_retention (source, convention_id, retention_days) values (%s, %s, %s)"
                " on conflict (source) do update set convention_id = excluded.convention_id,"
                " retention_days = excluded.retention_days",
                (t.source, t.convention_id, t.retention_days),
            )


def log_event(conn: psycopg.Connection, convention_id: str, event: str, actor: str | None, detail: str) -> None:
    """One line of the append-only compliance.convention_log."""
    conn.execute(
        "insert into compliance.convention_log (convention_id, event, actor, detail) values (%s, %s, %s, %s)",
        (convention_id, event, actor, detail),
    )


def calendars(
    conn: psycopg.Connection, as_of: date | None = None, convention_id: str | None = None
) -> list[dict[str, Any]]:
    """Each agreement's row and its dates as of a day (today by default): the one reading of
    compliance.convention_dates that the registry, the daily pass, the ingestion check and
    the certificate share."""
    cur = conn.execute(
        "select c.*, d.* from compliance.conventions as c"
        " cross join lateral compliance.convention_dates(c, coalesce(%s::date, current_date)) as d"
        " where %s::text is null or c.convention_id = %s order by c.convention_id",
        (as_of, convention_id, convention_id),
    )
    names = [d.name for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def calendar(conn: psycopg.Connection, convention_id: str, as_of: date | None = None) -> dict[str, Any]:
    """One agreement's row and its dates as of a day (today by default)."""
    rows = calendars(conn, as_of, convention_id)
    if not rows:
        raise ConventionError(f"no agreement {convention_id!r} in compliance.conventions")
    return rows[0]


def register(conn: psycopg.Connection, spec: dict[str, Any], actor: str | None) -> dict[str, Any]:
    """A new agreement, or new terms for one that is not ending."""
    spec = {k: spec.get(k) for k in FIELDS}
    if not spec["convention_id"] or not spec["partner"] or not spec["object"]:
        raise ConventionError("an agreement needs an id, a partner and an object")
    if not spec["sources"]:
        raise ConventionError(f"{spec['convention_id']}: name at least one source the agreement covers")
    known = known_sources()
    unknown = [s for s in spec["sources"] if s not in known]
    if unknown:
        raise ConventionError(f"{spec['convention_id']}: unknown source(s) {', '.join(unknown)}")
    written = sorted(t.source for t in source_terms().values() if t.convention_id == spec["convention_id"])
    if sorted(spec["sources"]) != written:
        raise ConventionError(
            f"{spec['convention_id']}: which sources an agreement covers is written in {CONVENTIONS_FILE.name}"
            f" ({', '.join(written) or 'none'}); change it there, then run the set-up"
        )
    with conn.transaction():
        row = conn.execute(
            "select status from compliance.conventions where convention_id = %s for update", (spec["convention_id"],)
        ).fetchone()
        if row and row[0] != "active":
            raise ConventionError(f"{spec['convention_id']} is {row[0]}: its terms can no longer change")
        conn.execute(
            "insert into compliance.conventions (convention_id, partner, object, sources, signed_on, notified_on,"
            " term_months, tacit_renewal, cap_months, notice_months, destruction_days, registered_by)"
            " values (%(convention_id)s, %(partner)s, %(object)s, %(sources)s, %(signed_on)s, %(notified_on)s,"
            " %(term_months)s, coalesce(%(tacit_renewal)s, true), %(cap_months)s, coalesce(%(notice_months)s, 2),"
            " coalesce(%(destruction_days)s, 15), %(actor)s)"
            " on conflict (convention_id) do update set partner = excluded.partner, object = excluded.object,"
            " sources = excluded.sources, signed_on = excluded.signed_on, notified_on = excluded.notified_on,"
            " term_months = excluded.term_months, tacit_renewal = excluded.tacit_renewal,"
            " cap_months = excluded.cap_months, notice_months = excluded.notice_months,"
            " destruction_days = excluded.destruction_days, updated_at = now()",
            {**spec, "actor": actor},
        )
        log_event(conn, spec["convention_id"], "updated" if row else "registered", actor, f"sources {spec['sources']}")
    return calendar(conn, spec["convention_id"])


def record_termination_notice(
    conn: psycopg.Connection,
    convention_id: str,
    *,
    notice_on: date,
    given_by: str,
    reason: str,
    actor: str | None,
) -> dict[str, Any]:
    """The registered letter received (or sent) on `notice_on`: the agreement ends after
    the notice period, or at the four-year cap if that comes first."""
    with conn.transaction():
        row = conn.execute(
            "select status, notified_on, termination_notice_on from compliance.conventions"
            " where convention_id = %s for update",
            (convention_id,),
        ).fetchone()
        if row is None:
            raise ConventionError(f"no agreement {convention_id!r}")
        status, notified_on, previous = row
        if status != "active":
            raise ConventionError(f"{convention_id} is {status}: a termination notice was already recorded")
        if notified_on is not None and notice_on < notified_on:
            raise ConventionError(
                f"{convention_id}: the notice ({notice_on}) predates the notification ({notified_on})"
            )
        conn.execute(
            "update compliance.conventions set termination_notice_on = %s, termination_notice_by = %s,"
            " termination_reason = %s, status = 'terminating', updated_at = now() where convention_id = %s",
            (notice_on, given_by, reason, convention_id),
        )
        dates = calendar(conn, convention_id, notice_on)
        log_event(
            conn,
            convention_id,
            "termination_notice",
            actor,
            f"notice of {notice_on} by {given_by}: ends {dates['effective_end']},"
            f" destruction by {dates['destruction_deadline']}",
        )
    log.info("%s: termination notice recorded, ends %s", convention_id, dates["effective_end"])
    return dates


def record_extract(
    conn: psycopg.Connection,
    convention_id: str,
    *,
    subcontractor: str,
    purpose: str,
    content: str,
    extracted_on: date,
    actor: str | None,
) -> int:
    calendar(conn, convention_id)  # the agreement exists
    with conn.transaction():
        extract_id = conn.execute(
            "insert into compliance.subcontractor_extracts (convention_id, subcontractor, purpose, content,"
            " extracted_on, recorded_by) values (%s, %s, %s, %s, %s, %s) returning extract_id",
            (convention_id, subcontractor, purpose, content, extracted_on, actor),
        ).fetchone()[0]
        log_event(conn, convention_id, "subcontractor_extract", actor, f"extract {extract_id} to {subcontractor}")
    return extract_id


def record_attestation(
    conn: psycopg.Connection, extract_id: int, *, attested_on: date, attestation_ref: str, actor: str | None
) -> dict[str, Any]:
    """The subcontractor's written justification of destruction (article 8)."""
    with conn.transaction():
        row = conn.execute(
            "select convention_id, subcontractor, extracted_on, attested_on from compliance.subcontractor_extracts"
            " where extract_id = %s for update",
            (extract_id,),
        ).fetchone()
        if row is None:
            raise ConventionError(f"no subcontractor extract {extract_id}")
        convention_id, subcontractor, extracted_on, already = row
        if already is not None:
            raise ConventionError(f"extract {extract_id}: destruction already attested on {already}")
        if attested_on < extracted_on:
            raise ConventionError(f"extract {extract_id}: attested ({attested_on}) before it was made ({extracted_on})")
        conn.execute(
            "update compliance.subcontractor_extracts set attested_on = %s, attestation_ref = %s,"
            " attestation_recorded_by = %s, attestation_recorded_at = now() where extract_id = %s",
            (attested_on, attestation_ref, actor, extract_id),
        )
        log_event(conn, convention_id, "destruction_attested", actor, f"extract {extract_id} ({subcontractor})")
    return {"extract_id": extract_id, "convention_id": convention_id, "attested_on": attested_on}


def assert_ingestion_allowed(conn: psycopg.Connection, source: str, convention_id: str) -> None:
    """Refuse to pull a source whose agreement is not in force today."""
    rows = calendars(conn, convention_id=convention_id)
    if not rows:
        raise IngestionRefusedError(f"{source}: no agreement {convention_id} is registered; nothing is pulled")
    status, in_force, effective_end = rows[0]["status"], rows[0]["in_force"], rows[0]["effective_end"]
    if status in ("ended", "purging", "purged") or not in_force:
        raise IngestionRefusedError(
            f"{source}: agreement {convention_id} is not in force ({status}, ended {effective_end}); nothing is pulled"
        )
