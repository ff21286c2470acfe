-- Masked landing (convention, art. 3). A record whose free text held personal
-- data lands with each span replaced by its type's mask, so that a declared
-- demonstration stays on the map; the ledger counts, per batch, the records
-- masked and, per type, the records where that type was found. Counts only:
-- the DPO's daily notice is built from them, never from a record.
alter table ops.ingest_batches
    add column masked integer not null default 0,
    add column masked_types jsonb not null default '{}'::jsonb;
comment on column ops.ingest_batches.masked is
    'Records of the batch that landed with personal data masked in their free text.';
comment on column ops.ingest_batches.masked_types is
    'Per personal-data type, how many of the batch''s landed records had it masked.';

-- The DPO's count-only notice of what was masked, one per day.
create table ops.masking_notices (
    notice_day date primary key,
    covered_until timestamptz not null,
    sent_at timestamptz,
    recipients text,
    counts jsonb not null
);
-- (the schema's default privileges give the loader and the compliance role their rights on it;
-- access.apply_grants() is not called again: it would give back functions migration 010 took away)
comment on table ops.masking_notices is
    'Daily count-only notice to the DPO of the records landed masked, per source and personal-data type.';

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

comment on column quarantine.records.finding_types is
    'Types of personal data found (email, phone, nir, ...); the payload holds them masked, e.g. [TÉLÉPHONE].';
