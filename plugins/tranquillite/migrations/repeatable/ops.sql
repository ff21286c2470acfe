-- Repeatable: ops: the views the data engineers read.
-- Re-applied at set-up whenever this file changes (python -m tranquillite.warehouse migrate);
-- edit the definitions here, never in versioned/. A change of signature or of a view's columns
-- needs a versioned migration that drops the old object first.

-- view ops.pipeline_runs (first defined in versioned/011_masked_landing.sql)
create or replace view ops.pipeline_runs with (security_invoker = true) as
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
    case when b.received > 0 then round(b.quarantined::numeric / b.received, 4) end as quarantine_share,
    b.masked
from ops.ingest_batches as b;
comment on view ops.pipeline_runs is
'Run ledger: per task and batch, the DAG, run, source, counts received, loaded, quarantined and purged, duration and outcome.'; -- noqa: LT05

-- view ops.held_versions (first defined in versioned/019_held_versions.sql)
create or replace view ops.held_versions with (security_invoker = true) as
select
    source,
    record_id,
    record_version,
    reason_code,
    received_at
from quarantine.records
where status = 'held' and record_id is not null;
comment on view ops.held_versions is
'Held quarantine rows, identifiers and reason only (no payload): read by dbt for latest_version_held.';
