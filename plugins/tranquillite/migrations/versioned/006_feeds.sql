-- The municipal feeds (contracts/municipal-feeds-v1.md) and the geocoder cache.
--
-- Every feed lands in one table, partitioned by data agreement: destroying an
-- agreement's data is then a partition drop, not a scan (convention, art. 9).
-- A row is one distinct content of one record: the same content received again
-- only moves last_seen_at. For file feeds (a daily CSV, a GeoJSON replaced whole)
-- a record is current when it was seen in the latest delivery of its file; the
-- deliveries are kept in ops.feed_deliveries.
create table raw.feed_records (
    convention_id text not null,
    source text not null,
    record_id text not null,
    payload_sha256 text not null,
    payload jsonb not null,
    source_updated_at timestamptz,
    delivery text,
    line_number integer,
    batch_id uuid not null,
    received_at timestamptz not null,
    last_seen_at timestamptz not null,
    primary key (convention_id, source, record_id, payload_sha256)
) partition by list (convention_id);
create index feed_records_source_record_idx on raw.feed_records (source, record_id, last_seen_at);
comment on table raw.feed_records is
    'Municipal feed records as received (jsonb), one row per distinct content, partitioned by data agreement.';

-- One partition per agreement, made on first use by the loader.
create or replace function raw.ensure_feed_partition(agreement text)
returns text
language plpgsql
as $$
declare
    part text := 'feed_records__' || regexp_replace(lower(agreement), '[^a-z0-9]+', '_', 'g');
begin
    if to_regclass('raw.' || quote_ident(part)) is null then
        execute format('create table raw.%I partition of raw.feed_records for values in (%L)', part, agreement);
    end if;
    return part;
end;
$$;

create unlogged table landing.feed_records (
    batch_id uuid not null,
    source text not null,
    record_id text not null,
    payload_sha256 text not null,
    payload jsonb not null,
    source_updated_at timestamptz,
    delivery text,
    line_number integer,
    copies integer not null default 1,
    primary key (batch_id, record_id, payload_sha256)
);
comment on table landing.feed_records is
    'Accepted feed records of running batches, waiting for the batch-level validation (GX) before raw.';

-- Each file or snapshot a file feed delivered: what replaced what, and the ETag to send next.
create table ops.feed_deliveries (
    source text not null,
    delivery text not null,
    delivered_at timestamptz not null,
    content_sha256 text not null,
    etag text,
    batch_id uuid not null,
    records integer not null,
    convention_id text not null,
    primary key (source, delivery, delivered_at)
);
comment on table ops.feed_deliveries is
    'Deliveries of file feeds; the latest delivery of a file replaces the earlier ones.';

-- Geocoding: addresses without coordinates, asked once each of the BAN geocoder.
create schema if not exists geo;
create extension if not exists unaccent;

-- The key under which an address label is cached: lower case, no accents, no punctuation.
create or replace function geo.normalise_label(label text)
returns text
language sql
immutable
parallel safe
as $$
    select nullif(btrim(regexp_replace(lower(public.unaccent('public.unaccent'::regdictionary, label)),
        '[^a-z0-9]+', ' ', 'g')), '')
$$;

create table geo.geocoder_cache (
    label_key text primary key,
    status text not null check (status in ('found', 'not_found', 'out_of_area')),
    lon double precision,
    lat double precision,
    score double precision,
    is_trusted boolean not null default false,
    result_label text,
    result_type text,
    result_citycode text,
    provider text not null,
    geocoded_at timestamptz not null default now(),
    check ((status = 'found') = (lon is not null and lat is not null))
);
comment on table geo.geocoder_cache is
    'One answer of the geocoder per normalised address label (Marseille only); low scores kept, untrusted.';

-- For feeds whose invalid geometries are repaired (ST_MakeValid) rather than kept out:
-- null when valid or repairable (the repair keeps its dimension), else why not.
create or replace function raw.geojson_repair_problem(geojson text)
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
    if ST_IsValid(g) then
        return null;
    end if;
    -- repaired only if it stays what it was: a footprint an area, a street a line
    if not ST_IsEmpty(ST_MakeValid(g)) and ST_Dimension(ST_MakeValid(g)) = ST_Dimension(g) then
        return null;
    end if;
    return 'invalid, and PostGIS cannot repair it without collapsing it';
exception when others then
    return 'unreadable GeoJSON: ' || sqlerrm;
end;
$$;
