-- The four-eyes rule and the retention, held by the warehouse (convention, art. 8 and 9):
-- whatever a DAG's Python does, a run-time role cannot
--   * approve a purge by writing a row, or skip one of its states;
--   * have a purge approved by fewer than two distinct compliance officers, or by its requester;
--   * delete an agreement's current data, or drop its partition, without such a purge under way;
--   * delete a record that is not past its source's retention, nor one held for the DPO.
-- The owner (set-up, migrations) registers the officers and the retentions.

-- The Airflow logins who may approve a purge, from TRQ_COMPLIANCE_OFFICERS at set-up. None
-- registered, nobody can approve.
create table compliance.officers (
    login text primary key check (length(trim(login)) > 0),
    registered_at timestamptz not null default now()
);
comment on table compliance.officers is
    'Compliance officers who may approve a purge (written by the owner at set-up, never by a run-time role).';

-- Each source's retention, from compliance/conventions and the feeds' configuration.
create table compliance.source_retention (
    source text primary key,
    convention_id text not null,
    retention_days integer not null check (retention_days > 0)
);
comment on table compliance.source_retention is
    'Raw retention of each source, in days; the delete guard of raw and quarantine reads it.';

-- One row per officer's approval of a purge. Append-only.
create table compliance.purge_approvals (
    purge_id bigint not null references compliance.purge_requests,
    approved_by text not null,
    approved_at timestamptz not null default now(),
    primary key (purge_id, approved_by)
);
create trigger purge_approvals_append_only before update or delete on compliance.purge_approvals
for each row execute function compliance.refuse_change();
comment on table compliance.purge_approvals is
    'Approvals of a purge, one per officer; two distinct officers, neither the requester, approve it.';

alter table compliance.purge_requests add column rejected_by text;

-- the tables above and the requests change only through the functions below
revoke insert, update, delete, truncate on compliance.officers, compliance.source_retention,
    compliance.purge_approvals, compliance.purge_requests from trq_compliance, trq_loader;

-- Whether a session may bypass the guards: the owner of the project's schemas (and superusers).
create or replace function compliance.is_owner(who name)
returns boolean
language sql
stable
set search_path = pg_catalog
as $$
    select pg_has_role(who, (select nspowner from pg_namespace where nspname = 'compliance'), 'USAGE');
$$;

create or replace function compliance.purge_is_approved(p_purge bigint)
returns boolean
language sql
stable
security definer
set search_path = pg_catalog
as $$
    select count(distinct a.approved_by) >= 2
    from compliance.purge_approvals as a
    join compliance.purge_requests as r on r.purge_id = a.purge_id
    where a.purge_id = p_purge and a.approved_by <> r.requested_by;
$$;

-- An agreement whose destruction is under way: a request twice approved, now destroying.
create or replace function compliance.purge_in_progress(agreement text)
returns boolean
language sql
stable
security definer
set search_path = pg_catalog
as $$
    select exists (
        select from compliance.purge_requests as r
        where r.convention_id = agreement and r.status = 'destroying' and compliance.purge_is_approved(r.purge_id)
    );
$$;

create or replace function compliance.open_purge_request(
    p_convention text, p_reason text, p_origin text, p_requested_by text, p_run text
)
returns bigint
language plpgsql
security definer
set search_path = pg_catalog
as $$
declare
    id bigint;
begin
    if coalesce(trim(p_requested_by), '') = '' then
        raise exception 'a purge request names its requester';
    end if;
    insert into compliance.purge_requests (convention_id, reason, origin, requested_by, dag_run_id)
    values (p_convention, p_reason, p_origin, p_requested_by, p_run)
    returning purge_id into id;
    insert into compliance.convention_log (convention_id, event, actor, detail)
    values (p_convention, 'purge_requested', p_requested_by, format('purge %s (%s)', id, p_origin));
    return id;
end;
$$;

-- One officer's answer. Returns the request's status after it: still awaiting_approval after
-- a first approval, approved after the second, rejected after a rejection.
create or replace function compliance.decide_purge(p_purge bigint, p_officer text, p_approved boolean)
returns text
language plpgsql
security definer
set search_path = pg_catalog
as $$
declare
    r compliance.purge_requests;
    approvers text;
begin
    select * into r from compliance.purge_requests where purge_id = p_purge for update;
    if not found then
        raise exception 'no purge request %', p_purge;
    end if;
    if r.status <> 'awaiting_approval' then
        raise exception 'purge % is %, not awaiting approval', p_purge, r.status;
    end if;
    if coalesce(trim(p_officer), '') = '' then
        raise exception 'purge %: the answer names no user', p_purge using errcode = '42501';
    end if;
    if p_officer = r.requested_by then
        raise exception 'purge %: % asked for it and cannot approve it (four eyes)', p_purge, p_officer
            using errcode = '42501';
    end if;
    if not exists (select from compliance.officers where login = p_officer) then
        raise exception 'purge %: % is not a compliance officer', p_purge, p_officer using errcode = '42501';
    end if;
    if not p_approved then
        update compliance.purge_requests set status = 'rejected', rejected_by = p_officer, decided_at = now(),
            finished_at = now() where purge_id = p_purge;
        insert into compliance.convention_log (convention_id, event, actor, detail)
        values (r.convention_id, 'purge_rejected', p_officer, format('purge %s', p_purge));
        return 'rejected';
    end if;
    if exists (select from compliance.purge_approvals where purge_id = p_purge and approved_by = p_officer) then
        raise exception 'purge %: % already approved it; a second officer must', p_purge, p_officer
            using errcode = '42501';
    end if;
    insert into compliance.purge_approvals (purge_id, approved_by) values (p_purge, p_officer);
    insert into compliance.convention_log (convention_id, event, actor, detail)
    values (r.convention_id, 'purge_approved', p_officer, format('purge %s', p_purge));
    if not compliance.purge_is_approved(p_purge) then
        return 'awaiting_approval';
    end if;
    select string_agg(approved_by, ', ' order by approved_at, approved_by) into approvers
    from compliance.purge_approvals where purge_id = p_purge;
    update compliance.purge_requests set status = 'approved', approved_by = approvers, decided_at = now()
    where purge_id = p_purge;
    return 'approved';
end;
$$;

-- The request's later states, each from the one before it; destroying only when approved.
create or replace function compliance.set_purge_status(p_purge bigint, p_status text, p_finished boolean)
returns void
language plpgsql
security definer
set search_path = pg_catalog
as $$
declare
    current_status text;
begin
    select status into current_status from compliance.purge_requests where purge_id = p_purge for update;
    if not found then
        raise exception 'no purge request %', p_purge;
    end if;
    if p_status = 'destroying' and not compliance.purge_is_approved(p_purge) then
        raise exception 'purge % is not approved by two compliance officers', p_purge using errcode = '42501';
    end if;
    if not (current_status, p_status) in (
        ('approved', 'destroying'), ('destroying', 'destroying'), ('destroying', 'destroyed'),
        ('destroyed', 'destroyed'), ('destroyed', 'verified'), ('destroyed', 'failed'),
        ('awaiting_approval', 'rejected'), ('approved', 'failed'), ('destroying', 'failed')
    ) then
        raise exception 'purge %: % cannot follow %', p_purge, p_status, current_status using errcode = '42501';
    end if;
    update compliance.purge_requests set status = p_status,
        finished_at = case when p_finished then now() else finished_at end
    where purge_id = p_purge;
end;
$$;

-- A raw or quarantined row goes when its agreement's purge is under way, or when it is past
-- its source's retention (and, held for a schema change, decided). The retention pass
-- applies the finer rules (an event's end, a file's closure): this is the floor under them.
create or replace function compliance.guard_agreement_rows()
returns trigger
language plpgsql
set search_path = pg_catalog
as $$
declare
    r jsonb := to_jsonb(old);
    src text := coalesce(r ->> 'source', 'cortege');
    days integer;
    stamp timestamptz := coalesce(r ->> 'last_seen_at', r ->> 'received_at')::timestamptz;
begin
    if compliance.is_owner(current_user) or compliance.purge_in_progress(old.convention_id) then
        return old;
    end if;
    select retention_days into days from compliance.source_retention where source = src;
    if days is null or stamp >= now() - make_interval(days => days) then
        raise exception '%.%: a row of % goes only with an approved purge of its agreement, or past its retention',
            tg_table_schema, tg_table_name, old.convention_id using errcode = '42501';
    end if;
    if r ->> 'status' = 'held' and exists (
        select from compliance.governance_pending(src) as p(signature)
        where p.signature = any(array(select jsonb_array_elements_text(r -> 'drift_signatures')))
    ) then
        raise exception '%.%: a record held for the DPO goes only once its change is decided, or with an approved purge',
            tg_table_schema, tg_table_name using errcode = '42501';
    end if;
    return old;
end;
$$;

create or replace function compliance.governance_pending(src text)
returns setof text
language sql
stable
security definer
set search_path = pg_catalog
as $$
    select signature from governance.schema_changes where source = src and status in ('pending', 'approved');
$$;

create trigger cortege_entries_guard before delete on raw.cortege_entries
for each row execute function compliance.guard_agreement_rows();
create trigger feed_records_guard before delete on raw.feed_records
for each row execute function compliance.guard_agreement_rows();
create trigger quarantine_records_guard before delete on quarantine.records
for each row execute function compliance.guard_agreement_rows();

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

revoke all on function compliance.is_owner(name), compliance.purge_is_approved(bigint),
    compliance.purge_in_progress(text), compliance.open_purge_request(text, text, text, text, text),
    compliance.decide_purge(bigint, text, boolean), compliance.set_purge_status(bigint, text, boolean),
    compliance.governance_pending(text), raw.drop_agreement_partition(text) from public, trq_loader, trq_transformer;
grant execute on function compliance.is_owner(name), compliance.purge_is_approved(bigint),
    compliance.purge_in_progress(text), compliance.open_purge_request(text, text, text, text, text),
    compliance.decide_purge(bigint, text, boolean), compliance.set_purge_status(bigint, text, boolean),
    compliance.governance_pending(text), raw.drop_agreement_partition(text) to trq_compliance;
-- the guard runs as whoever deletes: every role that may delete a row needs its helpers
grant execute on function compliance.is_owner(name), compliance.purge_in_progress(text),
    compliance.purge_is_approved(bigint), compliance.governance_pending(text) to trq_loader;
