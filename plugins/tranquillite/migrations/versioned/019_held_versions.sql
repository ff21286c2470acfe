-- What the gate holds back, without what it holds: per record, the versions in quarantine
-- (status held), with their reason and when they came, never their payload. dbt reads it
-- so that the marts can say when an event shows an earlier accepted version because its
-- latest one was held. The view applies the reader's rights (as every view here), and the
-- transformer may read only these columns of quarantine.records: no payload, no detail.
grant usage on schema quarantine to trq_transformer;
grant select (source, record_id, record_version, reason_code, received_at, status)
    on quarantine.records to trq_transformer;

create view ops.held_versions with (security_invoker = true) as
select source, record_id, record_version, reason_code, received_at
from quarantine.records
where status = 'held' and record_id is not null;
comment on view ops.held_versions is
    'Held quarantine rows, identifiers and reason only (no payload): read by dbt for latest_version_held.';
-- read only, whatever the schema's default privileges give
revoke all on ops.held_versions from public, trq_loader, trq_transformer, trq_compliance, trq_access_admin,
    trq_bi_reader;
grant select on ops.held_versions to trq_transformer, trq_compliance;
