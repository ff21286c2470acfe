-- Convention lifecycle, retention and destruction (convention, articles 8 and 9).
--
-- compliance.* holds the agreements themselves and the record of what was done
-- with their data: dates, who asked, who approved, counts. It never holds a
-- partner's record, so it survives a purge and proves it.
create schema if not exists compliance;

create table compliance.conventions (
    convention_id text primary key,
    partner text not null,
    object text not null,
    sources text[] not null default '{}',
    signed_on date,
    notified_on date,
    -- null: an open-ended agreement (the City's own data, open data)
    term_months integer check (term_months > 0),
    tacit_renewal boolean not null default true,
    cap_months integer check (cap_months > 0),
    notice_months integer not null default 2 check (notice_months >= 0),
    destruction_days integer not null default 15 check (destruction_days >= 0),
    termination_notice_on date,
    termination_notice_by text,
    termination_reason text,
    status text not null default 'active'
        check (status in ('active', 'terminating', 'ended', 'purging', 'purged')),
    registered_by text,
    registered_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    check (cap_months is null or term_months is not null and cap_months >= term_months),
    check (termination_notice_on is null or notified_on is null or termination_notice_on >= notified_on)
);
comment on table compliance.conventions is
    'Data agreements: partner, object, sources covered, dates and terms; status kept by the compliance DAGs.';

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

create or replace view compliance.convention_calendar
with (security_invoker = true) as
select c.convention_id, c.partner, c.status, c.notified_on, c.termination_notice_on, d.*
from compliance.conventions as c
cross join lateral compliance.convention_dates(c, current_date) as d;
comment on view compliance.convention_calendar is
    'Each agreement''s dates as of today: current term, next tacit renewal, the cap, termination and destruction deadline.';

-- Everything done to an agreement, append-only.
create table compliance.convention_log (
    log_id bigint generated always as identity primary key,
    convention_id text not null,
    event text not null,
    actor text,
    detail text,
    logged_at timestamptz not null default now()
);

-- Notices sent to the compliance officers: each (milestone, days before) once.
create table compliance.notifications (
    notification_id bigint generated always as identity primary key,
    convention_id text not null references compliance.conventions,
    kind text not null check (kind in ('renewal', 'cap', 'termination', 'purge_due', 'purge_started')),
    milestone date not null,
    days_before integer not null,
    subject text not null,
    recipients text,
    sent_at timestamptz not null default now(),
    unique (convention_id, kind, milestone, days_before)
);

-- Copies handed to a subcontractor (article 8) and their written destruction.
create table compliance.subcontractor_extracts (
    extract_id bigint generated always as identity primary key,
    convention_id text not null references compliance.conventions,
    subcontractor text not null,
    purpose text not null,
    content text not null,
    extracted_on date not null,
    recorded_by text,
    recorded_at timestamptz not null default now(),
    attested_on date,
    attestation_ref text,
    attestation_recorded_by text,
    attestation_recorded_at timestamptz,
    check ((attested_on is null) = (attestation_ref is null))
);

-- A purge asked for, approved (four eyes) and carried out.
create table compliance.purge_requests (
    purge_id bigint generated always as identity primary key,
    convention_id text not null references compliance.conventions,
    reason text not null,
    origin text not null check (origin in ('officer', 'automatic')),
    requested_by text not null,
    requested_at timestamptz not null default now(),
    dag_run_id text,
    approved_by text,
    decided_at timestamptz,
    status text not null default 'awaiting_approval'
        check (status in ('awaiting_approval', 'approved', 'rejected', 'destroying', 'destroyed', 'verified', 'failed')),
    finished_at timestamptz,
    check (approved_by is null or approved_by <> requested_by)
);
create unique index purge_requests_one_open on compliance.purge_requests (convention_id)
where status in ('awaiting_approval', 'approved', 'destroying', 'destroyed');

-- The written justification of each destruction: the certificate (JSON and PDF) and
-- its SHA-256. Append-only: rows cannot be changed or removed.
create table compliance.purge_log (
    purge_id bigint primary key references compliance.purge_requests,
    convention_id text not null,
    requested_by text not null,
    approved_by text not null,
    reason text not null,
    started_at timestamptz not null,
    finished_at timestamptz not null,
    verification_passed boolean not null,
    certificate jsonb not null,
    certificate_sha256 text not null,
    certificate_pdf bytea not null,
    pdf_sha256 text not null,
    logged_at timestamptz not null default now()
);

create or replace function compliance.refuse_change()
returns trigger
language plpgsql
as $$
begin
    raise exception '% is append-only: % refused', tg_table_schema || '.' || tg_table_name, tg_op;
end;
$$;
create trigger purge_log_append_only before update or delete on compliance.purge_log
for each row execute function compliance.refuse_change();
create trigger purge_log_no_truncate before truncate on compliance.purge_log
for each statement execute function compliance.refuse_change();
create trigger convention_log_append_only before update or delete on compliance.convention_log
for each row execute function compliance.refuse_change();

-- The daily retention pass, per source: what was older than the retention and deleted.
create table compliance.retention_runs (
    run_id bigint generated always as identity primary key,
    convention_id text not null,
    source text not null,
    retention_days integer not null,
    cutoff timestamptz not null,
    raw_deleted integer not null,
    quarantine_deleted integer not null,
    ran_at timestamptz not null default now()
);

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
    (select max(p.finished_at) from compliance.purge_log as p where p.convention_id = c.convention_id)
        as last_purge_at,
    (select count(*) from compliance.subcontractor_extracts as x
        where x.convention_id = c.convention_id and x.attested_on is null) as extracts_without_attestation,
    (select max(r.ran_at) from compliance.retention_runs as r where r.convention_id = c.convention_id)
        as last_retention_at
from compliance.conventions as c
cross join lateral compliance.convention_dates(c, current_date) as k;
comment on view compliance.convention_report is
    'The compliance officers'' report: status, dates and deadlines, last purge, extracts still awaiting a destruction attestation.';

create or replace view compliance.pending_attestations
with (security_invoker = true) as
select x.extract_id, x.convention_id, x.subcontractor, x.purpose, x.extracted_on, current_date - x.extracted_on as days_held
from compliance.subcontractor_extracts as x
where x.attested_on is null;

-- Cortège entries partitioned by agreement like the feeds: a purge drops a partition.
-- The dbt staging views over the old table go with it; the next build makes them again.
alter table raw.cortege_entries rename to cortege_entries_unpartitioned;
alter index raw.cortege_entries_pkey rename to cortege_entries_unpartitioned_pkey;
alter index raw.cortege_entries_received_at_idx rename to cortege_entries_unpartitioned_received_at_idx;
alter index raw.cortege_entries_convention_idx rename to cortege_entries_unpartitioned_convention_idx;

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
    primary key (convention_id, entry_id, entry_version)
) partition by list (convention_id);
create index cortege_entries_received_at_idx on raw.cortege_entries (received_at);
create index cortege_entries_entry_idx on raw.cortege_entries (entry_id, entry_version);
comment on table raw.cortege_entries is
    'Cortège entry versions as received from the export API (jsonb), with load metadata, partitioned by agreement. Idempotent on (entry_id, entry_version).';

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
drop function raw.ensure_feed_partition(text);

select raw.ensure_agreement_partition('cortege_entries', convention_id)
from (select distinct convention_id from raw.cortege_entries_unpartitioned) as agreements;
insert into raw.cortege_entries select * from raw.cortege_entries_unpartitioned;
drop table raw.cortege_entries_unpartitioned cascade;

-- Every row derived from a source names its agreement, the ledger included.
alter table ops.ingest_batches add column convention_id text;
update ops.ingest_batches as b set convention_id = coalesce(
    (select r.convention_id from raw.cortege_entries as r where r.batch_id = b.batch_id limit 1),
    (select r.convention_id from raw.feed_records as r where r.batch_id = b.batch_id limit 1),
    (select q.convention_id from quarantine.records as q where q.batch_id = b.batch_id limit 1),
    (select d.convention_id from ops.feed_deliveries as d where d.batch_id = b.batch_id limit 1)
);
create index ingest_batches_convention_idx on ops.ingest_batches (convention_id);
create index quarantine_records_convention_idx on quarantine.records (convention_id);
