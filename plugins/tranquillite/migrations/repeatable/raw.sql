-- Repeatable: the raw schema's helpers: GeoJSON checks, agreement partitions, statistics.
-- Re-applied at set-up whenever this file changes (python -m tranquillite.warehouse migrate);
-- edit the definitions here, never in versioned/. A change of signature or of a view's columns
-- needs a versioned migration that drops the old object first.

-- function raw.geojson_invalidity (first defined in versioned/001_foundation.sql)
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

-- function raw.geojson_repair_problem (first defined in versioned/006_feeds.sql)
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

-- function raw.ensure_agreement_partition (first defined in versioned/008_compliance.sql)
-- One partition per agreement, made on first use by the loaders: raw.<parent>__<agreement>.
-- Replaces the feeds' own function (migration 006): both raw tables use this one.
create or replace function raw.ensure_agreement_partition(parent text, agreement text)
returns text
language plpgsql
as $$
declare
    part text := parent || '__' || regexp_replace(lower(agreement), '[^a-z0-9]+', '_', 'g');
begin
    if to_regclass('raw.' || quote_ident(part)) is null then
        execute format('create table raw.%I partition of raw.%I for values in (%L)', part, parent, agreement);
    end if;
    return part;
end;
$$;
alter function raw.ensure_agreement_partition(text, text) security definer;
alter function raw.ensure_agreement_partition(text, text) set search_path = pg_catalog, public; -- noqa: PRS

-- function raw.refresh_statistics (first defined in versioned/010_statistics.sql)
-- Fresh statistics after a large batch. A batch that lands many rows leaves the
-- planner with the table's old statistics until autovacuum comes (a minute or
-- more later); a warehouse_build started at once then plans its joins on a table
-- it believes empty: at 1M events (`make bench SCALE=L`) two dbt tests on the
-- police's staging view ran for minutes on plans made before the autoanalyze.
-- The loaders refresh them themselves, through this owner's function: in
-- PostgreSQL 15 only a table's owner may ANALYZE it.
create or replace function raw.refresh_statistics(parent text, agreement text, new_rows bigint)
returns boolean
language plpgsql
security definer
set search_path = pg_catalog, public
as $$
declare
    part text;
    estimate double precision;
begin
    if parent not in ('cortege_entries', 'feed_records') then
        raise exception 'raw.refresh_statistics: % is not a raw table of the project', parent;
    end if;
    -- the partition's name, from the one function that names (and, here, already made) it
    part := raw.ensure_agreement_partition(parent, agreement);
    select greatest(reltuples, 0) into estimate from pg_class where oid = to_regclass('raw.' || quote_ident(part));
    -- autovacuum's own threshold (10 % of the rows), without waiting for it; small batches never
    if estimate is null or new_rows < 1000 or new_rows < 0.1 * estimate then
        return false;
    end if;
    execute format('analyze raw.%I', part);
    execute format('analyze raw.%I', parent);
    return true;
end;
$$;

-- function raw.drop_agreement_partition (first defined in versioned/012_four_eyes.sql)
-- Dropping an agreement's partition: only while its approved purge is under way.
create or replace function raw.drop_agreement_partition(part text)
returns void
language plpgsql
security definer
set search_path = pg_catalog
as $$
declare
    bound text;
    agreement text;
begin
    select pg_get_expr(c.relpartbound, c.oid) into bound
    from pg_class as c join pg_namespace as n on n.oid = c.relnamespace
    where n.nspname = 'raw' and c.relname = part and c.relispartition;
    if bound is null then
        raise exception 'raw.% is not a partition of a raw table', part;
    end if;
    agreement := replace(substring(bound from '^FOR VALUES IN \(''(.*)''\)$'), '''''', '''');
    if not compliance.is_owner(session_user) and not compliance.purge_in_progress(agreement) then
        raise exception 'raw.%: the partition of % goes only with an approved purge of its agreement', part, agreement
            using errcode = '42501';
    end if;
    execute format('drop table raw.%I', part);
end;
$$;
