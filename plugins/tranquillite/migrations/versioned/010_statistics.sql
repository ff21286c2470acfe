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

revoke all on function raw.refresh_statistics(text, text, bigint) from public, trq_transformer, trq_compliance;
grant execute on function raw.refresh_statistics(text, text, bigint) to trq_loader;
