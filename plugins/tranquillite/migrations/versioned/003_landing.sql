-- Landing: a batch's accepted records wait here while Great Expectations validates
-- the whole batch inside PostgreSQL; only then are they promoted to raw. Unlogged:
-- it is a work area, rebuilt by re-pulling if the server crashes.
create schema if not exists landing;

create unlogged table landing.cortege_entries (
    batch_id uuid not null,
    entry_id uuid not null,
    entry_version integer not null,
    entry_type text not null,
    updated_at timestamptz not null,
    payload jsonb not null,
    payload_sha256 text not null,
    copies integer not null default 1,
    primary key (batch_id, entry_id, entry_version)
);
comment on table landing.cortege_entries is
    'Accepted Cortège entries of running batches, waiting for the batch-level validation (GX) before raw.';
