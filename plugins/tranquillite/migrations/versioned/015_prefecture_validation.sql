-- Who habilitates and who validates (convention, article 7), held by the warehouse:
--   * a habilitation is recorded only under a login registered as a grantor (the City's
--     Deputy Director General for Security and the delegates of TRQ_HABILITATION_GRANTORS);
--   * the prefecture's validation of one of its people is recorded only through
--     access.decide_validation, for a login registered as a prefecture validator
--     (TRQ_PREFECTURE_VALIDATORS), which the habilitation_prefecture_validation DAG takes
--     from the Airflow user who answered its human-in-the-loop step, never from a form;
--   * the run-time roles cannot write a validation, nor a habilitation already validated.
-- The owner (set-up, migrations) registers both lists.

create table access.grantors (
    login text primary key check (length(trim(login)) > 0),
    registered_at timestamptz not null default now()
);
comment on table access.grantors is
    'Airflow logins who may habilitate a person (written by the owner at set-up).';

create table access.prefecture_validators (
    login text primary key check (length(trim(login)) > 0),
    registered_at timestamptz not null default now()
);
comment on table access.prefecture_validators is
    'Airflow logins of the prefecture who validate its nominative list (written by the owner at set-up).';

revoke insert, update, delete, truncate on access.grantors, access.prefecture_validators
    from trq_access_admin, trq_compliance;

-- a new habilitation: not validated, under a registered grantor; a revocation: its own columns
revoke insert, update on access.habilitations from trq_access_admin;
grant insert (login, person_name, organisation, access_role, reason, granted_by, valid_from, valid_to)
    on access.habilitations to trq_access_admin;
grant update (revoked_by, revoked_at, revoke_reason) on access.habilitations to trq_access_admin;

create or replace function access.guard_habilitation()
returns trigger
language plpgsql
set search_path = pg_catalog
as $$
begin
    if compliance.is_owner(current_user) then
        return new;
    end if;
    if tg_op = 'INSERT' then
        if not exists (select from access.grantors where login = new.granted_by) then
            raise exception 'access: the grantor is not a registered grantor' using errcode = '42501';
        end if;
        if new.validated_at is not null then
            raise exception 'access: a habilitation is validated only by the prefecture, after it is granted'
                using errcode = '42501';
        end if;
    -- an update is a revocation, once: a revoked (or refused) habilitation is never re-opened
    elsif old.revoked_at is not null then
        raise exception 'access: habilitation % was revoked; grant it again', old.habilitation_id
            using errcode = '42501';
    elsif new.revoked_at is null and (new.revoked_by is not null or new.revoke_reason is not null) then
        raise exception 'access: a revocation records when it happened' using errcode = '42501';
    end if;
    return new;
end;
$$;
create trigger habilitations_guard before insert or update on access.habilitations
for each row execute function access.guard_habilitation();

-- The prefecture's answer on one of its people: validated (in force from now), or refused
-- (revoked: a new grant is needed). Recorded under the validator's login, and logged.
create or replace function access.decide_validation(
    p_login text, p_validate boolean, p_validator text, p_reference text
)
returns bigint
language plpgsql
security definer
set search_path = pg_catalog
as $$
declare
    h access.habilitations;
begin
    if not exists (select from access.prefecture_validators where login = coalesce(p_validator, '')) then
        raise exception 'access: % is not a registered prefecture validator', coalesce(p_validator, 'nobody')
            using errcode = '42501';
    end if;
    if p_validate is null then
        raise exception 'access: the answer is a validation or a refusal';
    end if;
    select * into h from access.habilitations where login = p_login for update;
    if not found then
        raise exception 'access: no habilitation for login %', p_login;
    end if;
    if h.organisation <> 'prefecture' then
        raise exception 'access: % is City staff: the prefecture validates only its own people', p_login;
    end if;
    if h.revoked_at is not null then
        raise exception 'access: % was revoked; grant it again', p_login;
    end if;
    if h.validated_at is not null then
        raise exception 'access: % is already validated', p_login;
    end if;
    if h.granted_by = p_validator then
        raise exception 'access: who habilitated a person does not also validate them' using errcode = '42501';
    end if;
    if length(trim(coalesce(p_reference, ''))) < 3 then
        raise exception 'access: the answer names the reference of the prefecture''s list';
    end if;
    if p_validate then
        update access.habilitations
        set validated_by = p_validator, validated_reference = p_reference, validated_at = now()
        where habilitation_id = h.habilitation_id;
    else
        update access.habilitations
        set revoked_by = p_validator, revoked_at = now(), revoke_reason = 'refused by the prefecture: ' || p_reference
        where habilitation_id = h.habilitation_id;
    end if;
    insert into access.habilitation_log (habilitation_id, login, event, actor, detail)
    values (
        h.habilitation_id, p_login, case when p_validate then 'validated' else 'refused' end,
        p_validator, jsonb_build_object('reference', p_reference)
    );
    return h.habilitation_id;
end;
$$;
revoke all on function access.decide_validation(text, boolean, text, text), access.guard_habilitation()
    from public, trq_loader, trq_transformer, trq_compliance, trq_bi_reader, trq_city_staff, trq_prefecture;
grant execute on function access.decide_validation(text, boolean, text, text) to trq_access_admin;

-- the guard asks whether the session is the owner's
grant usage on schema compliance to trq_access_admin;
grant execute on function compliance.is_owner(name) to trq_access_admin;
