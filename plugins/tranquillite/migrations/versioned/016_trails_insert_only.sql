-- The append-only trails: a run-time role may add a line, never rewrite or erase one. Their
-- triggers refuse an UPDATE or DELETE of a line; this takes the privilege away as well, so a
-- role's schema-wide grants (governance: select, insert, update) do not reach them.
revoke update, delete, truncate on
    compliance.convention_log, compliance.purge_log, compliance.purge_approvals,
    governance.schema_change_log, access.habilitation_log
from trq_loader, trq_transformer, trq_compliance, trq_access_admin, trq_bi_reader;
