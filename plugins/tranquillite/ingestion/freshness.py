"""Is a source silent? During working hours, a source that landed no new data for
longer than its threshold raises one alert per episode (`ops.alerts`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import psycopg

from tranquillite.core.settings import cortege_silence_minutes, working_hours

PARIS = ZoneInfo("Europe/Paris")
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


@dataclass(frozen=True)
class WorkingHours:
    days: frozenset[int]
    start: time
    end: time

    @classmethod
    def parse(cls, spec: str) -> WorkingHours:
        """'mon-fri 08:00-19:00' (Europe/Paris)."""
        m = re.fullmatch(r"\s*(\w{3})-(\w{3})\s+(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})\s*", spec.lower())
        if not m:
            raise ValueError(f"working hours {spec!r}: expected e.g. 'mon-fri 08:00-19:00'")
        first, last = DAYS.index(m.group(1)), DAYS.index(m.group(2))
        days = frozenset(range(first, last + 1)) if first <= last else frozenset([*range(first, 7), *range(last + 1)])
        return cls(days, time(int(m.group(3)), int(m.group(4))), time(int(m.group(5)), int(m.group(6))))

    def contains(self, moment: datetime) -> bool:
        local = moment.astimezone(PARIS)
        return local.weekday() in self.days and self.start <= local.time() < self.end


def settings() -> tuple[WorkingHours, timedelta]:
    hours = WorkingHours.parse(working_hours())
    return hours, timedelta(minutes=cortege_silence_minutes())


MEASURES = {
    # something new landed (Cortège: agents enter data all day)
    "new_data": "select max(finished_at) from ops.ingest_batches"
    " where source = %s and status = 'succeeded' and new_rows > 0",
    # a file was delivered (the police's daily file)
    "delivery": "select max(delivered_at) from ops.feed_deliveries where source = %s",
    # the source answered (a file that may rightly not change for days: 304)
    "success": "select max(finished_at) from ops.ingest_batches where source = %s and status = 'succeeded'",
}


def last_new_data(conn: psycopg.Connection, source: str, measure: str = "new_data") -> datetime | None:
    return conn.execute(MEASURES[measure], (source,)).fetchone()[0]


def check_silence(
    conn: psycopg.Connection,
    source: str,
    now: datetime,
    hours: WorkingHours,
    threshold: timedelta,
    measure: str = "new_data",
) -> dict:
    """Whether to alert now; opens or resolves the episode in ops.alerts."""
    last = last_new_data(conn, source, measure)
    silent_for = (now - last) if last else None
    silent = hours.contains(now) and (last is None or silent_for > threshold)
    result = {
        "source": source,
        "last_new_data": last.isoformat() if last else None,
        "silent_minutes": round(silent_for.total_seconds() / 60) if silent_for else None,
        "threshold_minutes": int(threshold.total_seconds() // 60),
        "measure": measure,
        "silent": silent,
        "alert": False,
    }
    if silent:
        what = {"new_data": "no new data", "delivery": "no file delivered", "success": "no successful pull"}[measure]
        detail = f"{source}: {what} since {last.astimezone(PARIS):%d/%m %H:%M}" if last else f"{source}: {what} yet"
        row = conn.execute(
            "insert into ops.alerts (kind, source, detail) values ('source_silent', %s, %s)"
            " on conflict (kind, source) where resolved_at is null do nothing returning alert_id",
            (source, detail),
        ).fetchone()
        result.update(alert=row is not None, detail=detail)
    elif last is not None and (now - last) <= threshold:
        conn.execute(
            "update ops.alerts set resolved_at = %s where kind = 'source_silent' and source = %s"
            " and resolved_at is null",
            (now, source),
        )
    return result


def feed_watches() -> list[tuple[str, str, timedelta]]:
    """(source, measure, threshold) of every feed whose configuration has a `freshness` entry."""
    from tranquillite.sources.feeds.registry import FEEDS

    out = []
    for source, spec in FEEDS.items():
        rule = spec.get("freshness")
        if rule:
            out.append((source, rule.get("measure", "success"), timedelta(hours=float(rule["silent_after_hours"]))))
    return out
