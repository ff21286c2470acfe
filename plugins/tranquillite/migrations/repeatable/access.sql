-- Repeatable: access: logins, habilitations, validations and the grants.
-- Re-applied at set-up whenever this file changes (python -m tranquillite.warehouse migrate);
-- edit the definitions here, never in versioned/. A change of signature or of a view's columns
-- needs a versioned migration that drops the old object first.

-- view access.habilitations_in_force (first defined in versioned/009_access.sql)
-- In force: granted, validated where the prefecture must validate, within dates, not revoked.
create or replace view access.habilitations_in_force with (security_invoker = true) as
select
    h.*,
    h.revoked_at is null
    and (h.organisation = 'ville' or h.validated_at is not null)
    and now() >= h.valid_from
    and now() < h.valid_to as in_force
from access.habilitations as h;

-- function access.assert_owned (first defined in versioned/009_access.sql)
-- The logins the project owns carry this comment; the functions below refuse any other role.
create or replace function access.assert_owned(login text)
returns void
language plpgsql
security definer
set search_path = pg_catalog
as $$
begin
    if login !~ '^hab_[a-z0-9_]{2,59}$' then
        raise exception 'access: % is not a habilitation login', login;
    end if;
    if exists (select from pg_roles where rolname = login)
       and coalesce(shobj_description((select oid from pg_roles where rolname = login), 'pg_authid'), '')
           <> 'tranquillite:habilitation' then
        raise exception 'access: role % exists but the project does not own it; left alone', login;
    end if;
end;
$$;

-- function access.enable_login (first defined in versioned/009_access.sql)
-- Create or re-open a login: member of its group only, valid until the habilitation ends.
create or replace function access.enable_login(
    login text, group_role text, valid_until timestamptz, new_password text
)
returns void
language plpgsql
security definer
set search_path = pg_catalog
as $$
declare
    g text;
begin
    perform access.assert_owned(login);
    if group_role not in ('trq_city_staff', 'trq_prefecture') then
        raise exception 'access: % is not a consultation group', group_role;
    end if;
    if not exists (select from pg_roles where rolname = login) then
        execute format('create role %I login nosuperuser nocreatedb nocreaterole inherit', login);
        execute format('comment on role %I is %L', login, 'tranquillite:habilitation');
    end if;
    execute format('alter role %I inherit login connection limit 5 valid until %L', login, valid_until);
    if new_password is not null then
        execute format('alter role %I password %L', login, new_password);
    end if;
    -- the prefecture consults: its sessions are read-only whatever a grant says
    if group_role = 'trq_prefecture' then
        execute format('alter role %I set default_transaction_read_only = on', login);
    else
        execute format('alter role %I reset default_transaction_read_only', login);
    end if;
    foreach g in array array['trq_city_staff', 'trq_prefecture'] loop
        if g = group_role then
            execute format('grant %I to %I', g, login);
        else
            execute format('revoke %I from %I', g, login);
        end if;
    end loop;
end;
$$;

-- function access.disable_login (first defined in versioned/009_access.sql)
-- Close a login and end its sessions; returns how many sessions were ended.
create or replace function access.disable_login(login text)
returns integer
language plpgsql
security definer
set search_path = pg_catalog
as $$
declare
    ended integer := 0;
    backend integer;
begin
    perform access.assert_owned(login);
    if not exists (select from pg_roles where rolname = login) then
        return 0;
    end if;
    execute format('alter role %I nologin valid until %L', login, '-infinity');
    execute format('revoke trq_city_staff, trq_prefecture from %I', login);
    -- pid by pid: in one query the planner may call pg_terminate_backend before the user filter
    for backend in
        select a.pid from pg_stat_activity as a where a.usename = disable_login.login
    loop
        if pg_terminate_backend(backend) then
            ended := ended + 1;
        end if;
    end loop;
    return ended;
end;
$$;

-- view access.managed_logins (first defined in versioned/009_access.sql)
-- The project's logins as they are in the cluster, for the sync to compare.
create or replace view access.managed_logins with (security_invoker = true) as
select
    r.rolname as login,
    r.rolcanlogin as can_login,
    r.rolvaliduntil as valid_until,
    array(
        select g.rolname from pg_auth_members as m inner join pg_roles as g on m.roleid = g.oid
        where m.member = r.oid
        order by g.rolname
    ) as groups
from pg_roles as r
where shobj_description(r.oid, 'pg_authid') = 'tranquillite:habilitation';

-- function access.apply_grants (first defined in versioned/009_access.sql)
-- One statement per (role, schema, privileges) for what exists, and the same as
-- default privileges for what the owner (migrations, partitions) and the
-- transformer (dbt) create later.
create or replace function access.apply_grants()
returns void
language plpgsql
as $$
declare
    g record;
    owners text[];
    o text;
begin
    -- PUBLIC: nothing in the project's schemas, not even a function
    for g in select nspname from pg_namespace
        where nspname in ('raw', 'quarantine', 'landing', 'ops', 'geo', 'governance', 'compliance',
                          'stats', 'access', 'staging', 'intermediate', 'marts', 'analytics')
    loop
        execute format('revoke all on schema %I from public', g.nspname);
        execute format('revoke all on all tables in schema %I from public', g.nspname);
        execute format('revoke all on all functions in schema %I from public', g.nspname);
    end loop;
    -- functions are executable by PUBLIC by default, and only a global default can say otherwise
    alter default privileges revoke execute on functions from public;
    alter default privileges for role trq_transformer revoke execute on functions from public;
    for g in
        select * from (values
            ('trq_loader', 'raw', 'select, insert, update, delete'),
            ('trq_loader', 'quarantine', 'select, insert, update, delete'),
            ('trq_loader', 'landing', 'select, insert, update, delete'),
            ('trq_loader', 'ops', 'select, insert, update, delete'),
            ('trq_loader', 'geo', 'select, insert, update, delete'),
            ('trq_loader', 'governance', 'select, insert, update'),
            ('trq_loader', 'compliance', 'select'),
            ('trq_transformer', 'raw', 'select'),
            ('trq_transformer', 'ops', 'select'),
            ('trq_transformer', 'geo', 'select'),
            ('trq_transformer', 'stats', 'select'),
            ('trq_compliance', 'raw', 'select, delete'),
            ('trq_compliance', 'quarantine', 'select, delete'),
            ('trq_compliance', 'landing', 'select, delete'),
            ('trq_compliance', 'ops', 'select, insert, update, delete'),
            ('trq_compliance', 'geo', 'select, delete'),
            ('trq_compliance', 'governance', 'select, insert, update'),
            ('trq_compliance', 'compliance', 'select, insert, update, delete'),
            ('trq_compliance', 'access', 'select'),
            ('trq_compliance', 'staging', 'select, delete'),
            ('trq_compliance', 'intermediate', 'select, delete'),
            ('trq_compliance', 'marts', 'select, delete'),
            ('trq_compliance', 'analytics', 'select, delete'),
            ('trq_access_admin', 'access', 'select, insert, update'),
            ('trq_bi_reader', 'marts', 'select'),
            ('trq_bi_reader', 'stats', 'select'),
            ('trq_city_staff', 'marts', 'select'),
            ('trq_city_staff', 'stats', 'select'),
            ('trq_prefecture', 'marts', 'select'),
            ('trq_prefecture', 'stats', 'select')
        ) as grants (grantee, nspname, privileges)
    loop
        if to_regnamespace(g.nspname) is null then
            continue;
        end if;
        owners := case when g.nspname in ('staging', 'intermediate', 'marts', 'analytics')
            then array['trq_transformer'] else array[current_user::text] end;
        execute format('grant usage on schema %I to %I', g.nspname, g.grantee);
        execute format('grant %s on all tables in schema %I to %I', g.privileges, g.nspname, g.grantee);
        execute format('grant execute on all functions in schema %I to %I', g.nspname, g.grantee);
        foreach o in array owners loop
            execute format('alter default privileges for role %I in schema %I grant %s on tables to %I',
                o, g.nspname, g.privileges, g.grantee);
            execute format('alter default privileges for role %I in schema %I grant execute on functions to %I',
                o, g.nspname, g.grantee);
        end loop;
        if g.privileges like '%insert%' then
            execute format('grant usage, select on all sequences in schema %I to %I', g.nspname, g.grantee);
            foreach o in array owners loop
                execute format('alter default privileges for role %I in schema %I grant usage, select on sequences to %I',
                    o, g.nspname, g.grantee);
            end loop;
        end if;
    end loop;
    -- what only the functions may do
    revoke execute on function raw.drop_agreement_partition(text) from trq_loader, trq_transformer;
    revoke execute on function raw.ensure_agreement_partition(text, text) from trq_transformer;
    revoke execute on function access.assert_owned(text) from trq_compliance;
    revoke execute on function access.enable_login(text, text, timestamptz, text) from trq_compliance;
    revoke execute on function access.disable_login(text) from trq_compliance;
    grant select on ops.schema_migrations to trq_transformer, trq_compliance, trq_access_admin;
    -- the gate's GX batches are views over the landing work area, made and dropped per batch
    grant create on schema landing to trq_loader;
    grant usage on schema ops to trq_access_admin;
end;
$$;

-- function access.guard_habilitation (first defined in versioned/015_prefecture_validation.sql)
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

-- function access.decide_validation (first defined in versioned/015_prefecture_validation.sql)
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
