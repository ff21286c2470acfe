-- Repeatable: governance: the DPO's decisions and the guards of its logs.
-- Re-applied at set-up whenever this file changes (python -m tranquillite.warehouse migrate);
-- edit the definitions here, never in versioned/. A change of signature or of a view's columns
-- needs a versioned migration that drops the old object first.

-- function governance.refuse_change (first defined in versioned/004_governance.sql)
create or replace function governance.refuse_change() returns trigger language plpgsql as $$
begin
    raise exception 'governance.schema_change_log is append-only';
end;
$$;

-- function governance.guard_accepted_values (first defined in versioned/014_dpo_decisions.sql)
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

-- function governance.decide_change (first defined in versioned/014_dpo_decisions.sql)
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
