"""What the last run did, in a few lines for a person: `python -m tranquillite.ingestion.report`."""

from __future__ import annotations

import sys

from tranquillite.core.connections import get_conn, redacted_dsn
from tranquillite.core.settings import COMPLIANCE_CONN_ID, ROOT
from tranquillite.warehouse import connect


def main() -> int:
    # counts over every layer, ledger to marts: the compliance role is the one that reads them all
    with connect(COMPLIANCE_CONN_ID) as conn:
        batches = conn.execute(
            "select distinct on (source) source, received, loaded, new_rows, quarantined, status"
            " from ops.ingest_batches order by source, started_at desc"
        ).fetchall()
        marts = conn.execute("select to_regclass('marts.fct_events') is not null").fetchone()[0]
        events = (
            conn.execute("select count(*), count(*) filter (where is_cancelled) from marts.fct_events").fetchone()
            if marts
            else (0, 0)
        )
        by_source = (
            conn.execute("select source, count(*) from marts.fct_events group by source order by source").fetchall()
            if marts
            else []
        )
        pending = (
            conn.execute("select count(*) from marts.fct_events where geocoding_status = 'pending'").fetchone()[0]
            if marts
            else 0
        )
        tension = (
            conn.execute(
                "select count(*) filter (where gi_bin > 0), count(*) filter (where gi_bin < 0)"
                " from marts.fct_tension_zones where period_kind = 'week'"
                " and period_start = date_trunc('week', now() at time zone 'Europe/Paris')::date"
            ).fetchone()
            if marts and conn.execute("select to_regclass('marts.fct_tension_zones') is not null").fetchone()[0]
            else None
        )
        conflicts = (
            conn.execute(
                "select (select count(*) from marts.fct_event_conflicts),"
                " (select count(*) from marts.upcoming_event_conflicts),"
                " (select count(*) from marts.upcoming_event_conflicts where severity = 'high')"
            ).fetchone()
            if tension is not None
            else None
        )
        held = conn.execute("select count(*) from quarantine.records where status = 'held'").fetchone()[0]
        raw = conn.execute("select count(*) from raw.cortege_entries").fetchone()[0]
        feed_rows = conn.execute("select count(*) from raw.feed_records").fetchone()[0]
    print("")
    print("Last batch of each source:")
    for source, received, loaded, new_rows, quarantined, status in batches:
        print(
            f"  {source} ({status}): received {received} = loaded {loaded} + quarantined {quarantined};"
            f" {new_rows} new row(s) landed."
        )
    print(f"Warehouse {redacted_dsn(get_conn('warehouse'))}:")
    print(f"  raw.cortege_entries     {raw} entry version(s)")
    print(f"  raw.feed_records        {feed_rows} feed record content(s)")
    print(f"  quarantine.records      {held} held record(s)")
    print(f"  marts.fct_events        {events[0]} event(s), {events[1]} cancelled, {pending} awaiting geocoding")
    for source, count in by_source:
        print(f"    {source:<32}{count}")
    if tension is not None and conflicts is not None:
        print(f"  marts.fct_tension_zones {tension[0]} hot and {tension[1]} cold spot(s) this week")
        print(
            f"  marts.fct_event_conflicts {conflicts[0]} conflict(s), {conflicts[1]} under way or upcoming"
            f" ({conflicts[2]} high; marts.upcoming_event_conflicts)"
        )
    print("Where to look:")
    print("  make psql                                  -- query the warehouse")
    print(f"  {ROOT / '.local/dbt/docs/index.html'}  -- dbt docs")
    print(f"  {ROOT / '.local/logs'}                     -- logs of this run")
    print('  make dag DAG=tension_map CONF=\'{"as_of": "2026-11-15T12:00:00+01:00"}\'  -- the map at another moment')
    return 0


if __name__ == "__main__":
    sys.exit(main())
