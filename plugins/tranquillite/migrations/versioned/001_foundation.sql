-- Foundation: raw landing, quarantine, batch ledger and high-water marks.
create schema if not exists raw;
create schema if not exists quarantine;
create schema if not exists ops;

-- Every Cortège entry version exactly as received. (entry_id, entry_version) is
-- the delivery key of the contract: a version received twice is stored once.
create table raw.cortege_entries (
    entry_id uuid not null,
    entry_version integer not null check (entry_version >= 1),
    entry_type text not null,
    updated_at timestamptz not null,
    payload jsonb not null,
    payload_sha256 text not null,
    convention_id text not null,
    batch_id uuid not null,
    received_at timestamptz not null,
    primary key (entry_id, entry_version)
);
create index cortege_entries_received_at_idx on raw.cortege_entries (received_at);
create index cortege_entries_convention_idx on raw.cortege_entries (convention_id);
comment on table raw.cortege_entries is
    'Cortège entry versions as received from the export API (jsonb), with load metadata. Idempotent on (entry_id, entry_version).';

-- Records that failed the gate. The payload is kept for replay; reason_detail
-- names fields and rules, never values.
create table quarantine.records (
    quarantine_id bigint generated always as identity primary key,
    source text not null,
    record_id text,
    record_version integer,
    reason_code text not null,
    reason_detail text not null,
    payload jsonb,
    payload_sha256 text not null,
    line_number integer,
    convention_id text not null,
    batch_id uuid not null,
    received_at timestamptz not null,
    status text not null default 'held' check (status in ('held', 'replayed', 'discarded')),
    unique (source, payload_sha256, reason_code)
);
create index quarantine_records_batch_idx on quarantine.records (batch_id);
comment on table quarantine.records is
    'Records kept out of the warehouse with a reason code. One row per distinct payload and reason.';

-- One row per ingestion batch: received = loaded + quarantined is checked here.
create table ops.ingest_batches (
    batch_id uuid primary key,
    source text not null,
    dag_id text,
    run_id text,
    started_at timestamptz not null,
    finished_at timestamptz,
    requested_since timestamptz,
    pages integer not null default 0,
    received integer not null default 0,
    loaded integer not null default 0,
    new_rows integer not null default 0,
    quarantined integer not null default 0,
    high_water_mark timestamptz,
    status text not null default 'running' check (status in ('running', 'succeeded', 'failed')),
    error text,
    constraint ingest_batches_balanced check (status <> 'succeeded' or received = loaded + quarantined)
);
comment on table ops.ingest_batches is
    'Ingestion batches. received = loaded + quarantined; new_rows counts loaded rows that were not already in raw.';

create table ops.watermarks (
    source text primary key,
    high_water_mark timestamptz not null,
    updated_at timestamptz not null default now()
);

-- Validity of a GeoJSON geometry, judged by PostGIS: null when valid, else the reason.
create or replace function raw.geojson_invalidity(geojson text)
returns text
language plpgsql
immutable
as $$
declare
    g geometry;
begin
    g := ST_GeomFromGeoJSON(geojson);
    if ST_IsEmpty(g) then
        return 'empty geometry';
    end if;
    if not ST_IsValid(g) then
        return ST_IsValidReason(g);
    end if;
    return null;
exception when others then
    return 'unreadable GeoJSON: ' || sqlerrm;
end;
$$;
