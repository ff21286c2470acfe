-- The run ledger BI tools chart: one row per task and batch that moved data.
alter table ops.ingest_batches add column task_id text;

create or replace view ops.pipeline_runs as
select
    b.batch_id,
    b.dag_id,
    b.run_id,
    b.task_id,
    b.source,
    b.received,
    b.loaded,
    b.new_rows,
    b.quarantined,
    0 as purged,
    b.started_at,
    b.finished_at,
    extract(epoch from b.finished_at - b.started_at)::numeric(12, 3) as duration_seconds,
    b.status as outcome,
    case when b.received > 0 then round(b.quarantined::numeric / b.received, 4) end as quarantine_share
from ops.ingest_batches as b;
comment on view ops.pipeline_runs is
    'Run ledger: per task and batch, the DAG, run, source, counts received, loaded, quarantined and purged, duration and outcome.';

-- Alerts raised by the checks, so that one episode (a silent source) alerts once.
create table ops.alerts (
    alert_id bigint generated always as identity primary key,
    kind text not null,
    source text not null,
    raised_at timestamptz not null default now(),
    resolved_at timestamptz,
    detail text not null
);
create unique index alerts_one_open_per_kind on ops.alerts (kind, source) where resolved_at is null;
