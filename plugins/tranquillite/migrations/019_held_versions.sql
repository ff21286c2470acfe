-- What the gate holds back, without what it holds: per record, the versions in quarantine
-- (status held), with their reason and when they came, never their payload. dbt reads it
-- (the transformer has no right on quarantine) so that the marts can say when an event
-- shows an earlier accepted version because its latest one was held.
create view ops.held_versions as
select source, record_id, record_version, reason_code, received_at
from quarantine.records
where status = 'held' and record_id is not null;
comment on view ops.held_versions is
    'Held quarantine rows, identifiers and reason only (no payload): read by dbt for latest_version_held.';
revoke all on ops.held_versions from public;
grant select on ops.held_versions to trq_transformer, trq_compliance;
