-- The two ledgers of migrations are the owner's alone to write: a run-time role that could
-- insert a row there could mark a migration applied that never ran. Every run-time role
-- reads them (ensure_migrated's check, `migrate status`).
revoke insert, update, delete, truncate on ops.schema_migrations, ops.repeatable_migrations
    from trq_loader, trq_transformer, trq_compliance, trq_access_admin;
grant select on ops.schema_migrations, ops.repeatable_migrations
    to trq_loader, trq_transformer, trq_compliance, trq_access_admin;
