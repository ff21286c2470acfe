-- The DPO's decisions on changes in the nature of the data (convention, art. 3), held by
-- the warehouse: a decision is recorded only through governance.decide_change, only for a
-- login registered as the DPO's (from TRQ_DPO_USERS, by the owner at set-up), and the
-- run-time roles cannot write a status, a decider or an approved value themselves. The
-- schema_change_approval DAG passes the login of the Airflow user who answered its
-- human-in-the-loop step, never a name typed in a form.

create table governance.dpo_users (
    login text primary key check (length(trim(login)) > 0),
    registered_at timestamptz not null default now()
);
comment on table governance.dpo_users is
    'Airflow logins who decide schema changes for the DPO (written by the owner at set-up).';
revoke insert, update, delete, truncate on governance.dpo_users from trq_loader, trq_compliance;

-- what the gate and the notice write stays theirs; the decision's columns do not
revoke update on governance.schema_changes from trq_loader, trq_compliance;
grant update (last_seen_at, held_records, notified_at) on governance.schema_changes to trq_loader, trq_compliance;

-- an approved value enters only with its decision; the contract's own are the gate's to sync
create or replace function governance.guard_accepted_values()
returns trigger
language plpgsql
set search_path = pg_catalog
as $$
begin
    if new.origin <> 'contract' and not compliance.is_owner(current_user) then
        raise exception 'governance.accepted_values: % values are written only by a decision', new.origin
            using errcode = '42501';
    end if;
    return new;
end;
$$;
create trigger accepted_values_guard before insert or update on governance.accepted_values
for each row execute function governance.guard_accepted_values();
revoke update, delete, truncate on governance.accepted_values from trq_loader, trq_compliance;

create or replace function governance.decide_change(
    p_change bigint, p_approve boolean, p_decided_by text, p_impact_study_ref text, p_comment text
)
returns text
language plpgsql
security definer
set search_path = pg_catalog
as $$
declare
    c governance.schema_changes;
    kind text;
    rest text;
    path text;
    decision text := case when p_approve then 'approved' else 'rejected' end;
begin
    select * into c from governance.schema_changes where change_id = p_change for update;
    if not found then
        raise exception 'no schema change %', p_change;
    end if;
    if c.status <> 'pending' then
        raise exception 'schema change % was already %', p_change, c.status;
    end if;
    if not exists (select from governance.dpo_users where login = coalesce(p_decided_by, '')) then
        raise exception 'schema change %: % is not a registered DPO', p_change, coalesce(p_decided_by, 'nobody')
            using errcode = '42501';
    end if;
    if length(trim(coalesce(p_impact_study_ref, ''))) < 3 then
        raise exception 'schema change %: the decision names its impact study', p_change;
    end if;
    kind := split_part(c.signature, ':', 1);
    if p_approve and (kind not in ('field', 'value') or c.signature like 'value:entry.type=%') then
        raise exception '%: a type change or a new kind of entry needs a new contract version, not an approval',
            c.signature;
    end if;
    update governance.schema_changes set status = decision, decided_by = p_decided_by, decided_at = now(),
        impact_study_ref = p_impact_study_ref, decision_comment = p_comment
    where change_id = p_change;
    insert into governance.schema_change_log (change_id, event, actor, detail)
    values (p_change, decision, p_decided_by, 'impact study ' || p_impact_study_ref);
    if p_approve and kind = 'value' then
        rest := substr(c.signature, length('value:') + 1);
        path := split_part(rest, '=', 1);
        insert into governance.accepted_values (field, value, origin)
        values (regexp_replace(path, '^.*[.]', ''), substr(rest, length(path) + 2), 'approved:' || p_change)
        on conflict do nothing;
    end if;
    return decision;
end;
$$;
revoke all on function governance.decide_change(bigint, boolean, text, text, text), governance.guard_accepted_values()
    from public, trq_loader, trq_transformer;
grant execute on function governance.decide_change(bigint, boolean, text, text, text) to trq_compliance;
