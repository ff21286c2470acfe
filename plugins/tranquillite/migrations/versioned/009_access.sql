-- Access control (convention, articles 6 and 7): least-privilege roles, the
-- register of habilitated people, and the functions through which their logins
-- are made to match it.
--
-- The warehouse owner (the role running these migrations) is for set-up only.
-- At run time each component connects as its own role:
--   trq_loader        Airflow's ingestion: writes raw, quarantine, landing, ops, geo
--   trq_transformer   dbt: reads the loaded data, owns staging, intermediate, marts
--   trq_compliance    retention and purges: reads and deletes; governance decisions
--   trq_access_admin  habilitations_sync: the register and the habilitated logins
--   trq_bi_reader     BI tools: the marts only
--   trq_city_staff    group of the habilitated City staff: the marts only
--   trq_prefecture    group of the prefecture's consultation: the marts, read only
-- PUBLIC gets nothing. Roles are cluster-wide: created here if missing (without a
-- password; set-up gives the service roles theirs), granted per database.

do $$
declare
    r record;
begin
    for r in
        select * from (values
            ('trq_loader', true), ('trq_transformer', true), ('trq_compliance', true),
            ('trq_access_admin', true), ('trq_bi_reader', true),
            ('trq_city_staff', false), ('trq_prefecture', false)
        ) as roles (name, can_login)
    loop
        if not exists (select from pg_roles where rolname = r.name) then
            execute format(
                'create role %I %s nosuperuser nocreatedb nocreaterole noreplication nobypassrls',
                r.name, case when r.can_login then 'login' else 'nologin' end
            );
        end if;
        execute format('comment on role %I is %L', r.name, 'tranquillite:service');
    end loop;
end;
$$;

-- The owner sets default privileges on what dbt creates, and hands the dbt
-- schemas over: it must be a member of the transformer role for both.
grant trq_transformer to current_user;

-- ------------------------------------------------------------------ database
do $$
begin
    execute format('revoke all on database %I from public', current_database());
    execute format(
        'grant connect on database %I to trq_loader, trq_transformer, trq_compliance, trq_access_admin,'
        ' trq_bi_reader, trq_city_staff, trq_prefecture',
        current_database()
    );
    execute format('grant temporary on database %I to trq_loader, trq_transformer, trq_compliance', current_database());
    -- dbt issues `create schema if not exists`, which PostgreSQL checks before it looks
    execute format('grant create on database %I to trq_transformer', current_database());
end;
$$;

-- PostGIS lives in public: usable by the project's roles, not by PUBLIC.
revoke all on schema public from public;
grant usage on schema public to trq_loader, trq_transformer, trq_compliance, trq_access_admin,
    trq_bi_reader, trq_city_staff, trq_prefecture;

-- ------------------------------------------------------------------ dbt's schemas
-- Owned by the transformer; an existing warehouse hands over what dbt built as the owner.
create schema if not exists staging;
create schema if not exists intermediate;
create schema if not exists marts;
create schema if not exists analytics;
do $$
declare
    s text;
    r record;
begin
    foreach s in array array['staging', 'intermediate', 'marts', 'analytics'] loop
        execute format('alter schema %I owner to trq_transformer', s);
        for r in
            select c.relname, c.relkind from pg_class as c
            join pg_namespace as n on n.oid = c.relnamespace
            where n.nspname = s and c.relkind in ('r', 'v', 'm', 'p')
        loop
            execute format('alter %s %I.%I owner to trq_transformer',
                case r.relkind when 'v' then 'view' when 'm' then 'materialized view' else 'table' end, s, r.relname);
        end loop;
    end loop;
end;
$$;

-- ------------------------------------------------------------------ the register
create schema if not exists access;

create table access.habilitations (
    habilitation_id bigint generated always as identity primary key,
    -- the database login the sync manages: hab_<name>, never a service role
    login text not null unique check (login ~ '^hab_[a-z0-9_]{2,59}$'),
    -- the nominative list of article 7: who, for which organisation
    person_name text not null check (length(person_name) between 2 and 200),
    organisation text not null check (organisation in ('ville', 'prefecture')),
    access_role text not null check (access_role in ('trq_city_staff', 'trq_prefecture')),
    reason text not null,
    granted_by text not null,
    granted_at timestamptz not null default now(),
    validated_by text,
    validated_reference text,
    validated_at timestamptz,
    valid_from timestamptz not null default now(),
    valid_to timestamptz not null,
    revoked_by text,
    revoked_at timestamptz,
    revoke_reason text,
    check (valid_to > valid_from),
    -- a prefecture person consults as the prefecture, a City person as City staff
    check (organisation = 'ville' and access_role = 'trq_city_staff'
        or organisation = 'prefecture' and access_role = 'trq_prefecture'),
    check (organisation = 'prefecture' or validated_at is null),
    check (validated_at is null or validated_by is not null),
    check (revoked_at is null or revoked_by is not null)
);
comment on table access.habilitations is
    'Who may consult the warehouse: habilitated by the City (article 7), validated by the prefecture for its own people; habilitations_sync makes the logins match.';

-- In force: granted, validated where the prefecture must validate, within dates, not revoked.
create view access.habilitations_in_force with (security_invoker = true) as
select
    h.*,
    h.revoked_at is null
    and (h.organisation = 'ville' or h.validated_at is not null)
    and now() >= h.valid_from
    and now() < h.valid_to as in_force
from access.habilitations as h;

create table access.habilitation_log (
    event_id bigint generated always as identity primary key,
    at timestamptz not null default now(),
    habilitation_id bigint,
    login text not null,
    event text not null check (event in (
        'granted', 'validated', 'revoked', 'login_enabled', 'login_disabled', 'sessions_ended', 'refused'
    )),
    actor text not null,
    detail jsonb not null default '{}'
);
comment on table access.habilitation_log is
    'Append-only audit trail of every habilitation and every login change made from it.';
create trigger habilitation_log_append_only
before update or delete or truncate on access.habilitation_log
for each statement execute function compliance.refuse_change();

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

-- The project's logins as they are in the cluster, for the sync to compare.
create or replace view access.managed_logins with (security_invoker = true) as
select
    r.rolname as login,
    r.rolcanlogin as can_login,
    r.rolvaliduntil as valid_until,
    array(
        select g.rolname from pg_auth_members as m join pg_roles as g on g.oid = m.roleid
        where m.member = r.oid order by g.rolname
    ) as groups
from pg_roles as r
where shobj_description(r.oid, 'pg_authid') = 'tranquillite:habilitation';

-- A purge drops an agreement's partitions without owning them: only partitions of raw.
create or replace function raw.drop_agreement_partition(part text)
returns void
language plpgsql
security definer
set search_path = pg_catalog
as $$
begin
    if not exists (
        select from pg_class as c join pg_namespace as n on n.oid = c.relnamespace
        where n.nspname = 'raw' and c.relname = part and c.relispartition
    ) then
        raise exception 'raw.% is not a partition of a raw table', part;
    end if;
    execute format('drop table raw.%I', part);
end;
$$;

-- A view a consumer reads applies the reader's rights, not its owner's.
alter view ops.pipeline_runs set (security_invoker = true);

-- The loaders make partitions of tables they do not own.
alter function raw.ensure_agreement_partition(text, text) security definer;
alter function raw.ensure_agreement_partition(text, text) set search_path = pg_catalog, public;

-- ------------------------------------------------------------------ grants
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
revoke all on function access.apply_grants() from public;

select access.apply_grants();
