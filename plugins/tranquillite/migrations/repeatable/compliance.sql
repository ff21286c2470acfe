-- Repeatable: compliance: convention calendar, four-eyes purges, guards of the logs.
-- Re-applied at set-up whenever this file changes (python -m tranquillite.warehouse migrate);
-- edit the definitions here, never in versioned/. A change of signature or of a view's columns
-- needs a versioned migration that drops the old object first.

-- function compliance.convention_dates (first defined in versioned/008_compliance.sql)
-- The calendar of one agreement as of a day. Months are added to the notification
-- date each time (never term after term), so a 29 February start comes back on
-- 29 February four years on and falls on the 28th in between (PostgreSQL clamps to
-- the month's end). An "end" is the first day no longer covered.
create or replace function compliance.convention_dates(c compliance.conventions, as_of date)
returns table (
    term_number integer,
    terms_allowed integer,
    term_start date,
    term_end date,
    next_renewal date,
    final_end date,
    effective_termination date,
    effective_end date,
    destruction_deadline date,
    in_force boolean
)
language sql
stable
as $$
    with shape as (
        select
            case
                when c.term_months is null then null
                when c.tacit_renewal then greatest(1, coalesce(c.cap_months, c.term_months) / c.term_months)
                else 1
            end as n_terms
    ),
    current_term as (
        select
            s.n_terms,
            case when s.n_terms is not null then
                1 + (select count(*)::integer from generate_series(1, s.n_terms - 1) as i
                    where (c.notified_on + make_interval(months => i * c.term_months))::date <= as_of)
            end as k
        from shape as s
    ),
    bounds as (
        select
            t.n_terms,
            t.k,
            (c.notified_on + make_interval(months => (t.k - 1) * c.term_months))::date as term_start,
            (c.notified_on + make_interval(months => t.k * c.term_months))::date as term_end,
            (c.notified_on + make_interval(months => t.n_terms * c.term_months))::date as final_end,
            (c.termination_notice_on + make_interval(months => c.notice_months))::date as notice_end
        from current_term as t
    ),
    ends as (
        select
            b.*,
            -- least() ignores nulls: no notice gives null, an open-ended agreement ends at the notice
            case when b.notice_end is not null then least(b.notice_end, b.final_end) end as effective_termination,
            least(b.notice_end, b.final_end) as effective_end
        from bounds as b
    )
    select
        e.k,
        e.n_terms,
        e.term_start,
        e.term_end,
        case
            when e.k < e.n_terms and as_of < e.term_end
                and (e.effective_termination is null or e.effective_termination > e.term_end)
                then e.term_end
        end,
        e.final_end,
        e.effective_termination,
        e.effective_end,
        (e.effective_end + c.destruction_days)::date,
        c.notified_on is not null and as_of >= c.notified_on
            and (e.effective_end is null or as_of < e.effective_end)
    from ends as e
$$;

-- view compliance.convention_calendar (first defined in versioned/008_compliance.sql)
create or replace view compliance.convention_calendar
with (security_invoker = true) as
select
    c.convention_id,
    c.partner,
    c.status,
    c.notified_on,
    c.termination_notice_on,
    d.*
from compliance.conventions as c
cross join lateral compliance.convention_dates(c, current_date) as d;
comment on view compliance.convention_calendar is
'Each agreement''s dates as of today: current term, next tacit renewal, the cap, termination and destruction deadline.';

-- function compliance.refuse_change (first defined in versioned/008_compliance.sql)
create or replace function compliance.refuse_change()
returns trigger
language plpgsql
as $$
begin
    raise exception '% is append-only: % refused', tg_table_schema || '.' || tg_table_name, tg_op;
end;
$$;

-- view compliance.convention_report (first defined in versioned/008_compliance.sql)
-- For the compliance officers (BI): one row per agreement.
create or replace view compliance.convention_report
with (security_invoker = true) as
select
    c.convention_id,
    c.partner,
    c.sources,
    c.status,
    k.in_force,
    c.notified_on,
    k.term_number,
    k.terms_allowed,
    k.term_end,
    k.next_renewal,
    k.next_renewal - current_date as days_to_renewal,
    k.final_end,
    c.termination_notice_on,
    k.effective_termination,
    k.destruction_deadline,
    k.destruction_deadline - current_date as days_to_destruction_deadline,
    (
        select max(p.finished_at) from compliance.purge_log as p
        where p.convention_id = c.convention_id)
        as last_purge_at,
    (
        select count(*) from compliance.subcontractor_extracts as x
        where x.convention_id = c.convention_id and x.attested_on is null
    ) as extracts_without_attestation,
    (
        select max(r.ran_at) from compliance.retention_runs as r
        where r.convention_id = c.convention_id)
        as last_retention_at
from compliance.conventions as c
cross join lateral compliance.convention_dates(c, current_date) as k;
comment on view compliance.convention_report is
'The compliance officers'' report: status, dates and deadlines, last purge, extracts still awaiting a destruction attestation.'; -- noqa: LT05

-- view compliance.pending_attestations (first defined in versioned/008_compliance.sql)
create or replace view compliance.pending_attestations
with (security_invoker = true) as
select
    x.extract_id,
    x.convention_id,
    x.subcontractor,
    x.purpose,
    x.extracted_on,
    current_date - x.extracted_on as days_held
from compliance.subcontractor_extracts as x
where x.attested_on is null;

-- function compliance.is_owner (first defined in versioned/012_four_eyes.sql)
-- Whether a session may bypass the guards: the owner of the project's schemas (and superusers).
create or replace function compliance.is_owner(who name)
returns boolean
language sql
stable
set search_path = pg_catalog
as $$
    select pg_has_role(who, (select nspowner from pg_namespace where nspname = 'compliance'), 'USAGE');
$$;

-- function compliance.purge_is_approved (first defined in versioned/012_four_eyes.sql)
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

-- function compliance.purge_in_progress (first defined in versioned/012_four_eyes.sql)
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

-- function compliance.open_purge_request (first defined in versioned/012_four_eyes.sql)
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

-- function compliance.decide_purge (first defined in versioned/012_four_eyes.sql)
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

-- function compliance.set_purge_status (first defined in versioned/012_four_eyes.sql)
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

-- function compliance.guard_agreement_rows (first defined in versioned/012_four_eyes.sql)
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

-- function compliance.governance_pending (first defined in versioned/012_four_eyes.sql)
create or replace function compliance.governance_pending(src text)
returns setof text
language sql
stable
security definer
set search_path = pg_catalog
as $$
    select signature from governance.schema_changes where source = src and status in ('pending', 'approved');
$$;
