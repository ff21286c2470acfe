-- Schema drift is a change in the nature of the data (convention, art. 3): the records
-- are held, the DPO is told, and nothing with the change loads before an approval.
create schema if not exists governance;

create table governance.schema_changes (
    change_id bigint generated always as identity primary key,
    source text not null,
    signature text not null,
    first_seen_at timestamptz not null default now(),
    last_seen_at timestamptz not null default now(),
    held_records integer not null default 0,
    status text not null default 'pending' check (status in ('pending', 'approved', 'rejected')),
    notified_at timestamptz,
    decided_by text,
    decided_at timestamptz,
    impact_study_ref text,
    decision_comment text,
    unique (source, signature),
    constraint decision_is_complete check (
        status = 'pending' or (decided_by is not null and decided_at is not null and impact_study_ref is not null)
    )
);
comment on table governance.schema_changes is
    'Changes in the nature of the data seen at the gate (new field, new value, type change), for the DPO to decide.';

-- Append-only trail of what happened to each change.
create table governance.schema_change_log (
    log_id bigint generated always as identity primary key,
    change_id bigint not null references governance.schema_changes (change_id),
    event text not null,
    actor text,
    at timestamptz not null default now(),
    detail text
);
create function governance.refuse_change() returns trigger language plpgsql as $$
begin
    raise exception 'governance.schema_change_log is append-only';
end;
$$;
create trigger schema_change_log_append_only before update or delete on governance.schema_change_log
    for each row execute function governance.refuse_change();

-- Values each categorical field may take: the contract's, plus those the DPO approved.
create table governance.accepted_values (
    field text not null,
    value text not null,
    origin text not null,
    primary key (field, value)
);

alter table quarantine.records add column drift_signatures text[] not null default '{}';
