-- The values a purge searches for afterwards, taken before anything is destroyed and kept
-- until the certification, so that a retried purge verifies against what its first attempt
-- saw (after the destruction there is nothing left to sample, and a search for nothing
-- always passes). Copies of the agreement's data, so themselves destroyed: at the
-- certification, or when the request closes unfinished. The purge's sample scan skips them.
create table compliance.purge_sampling (
    purge_id bigint primary key references compliance.purge_requests,
    taken_at timestamptz not null default now(),
    samples integer not null check (samples >= 0),
    discarded_at timestamptz
);
comment on table compliance.purge_sampling is
    'When a purge took its verification samples, how many, and when they were destroyed.';

create table compliance.purge_samples (
    purge_id bigint not null references compliance.purge_sampling,
    sample text not null,
    primary key (purge_id, sample)
);
comment on table compliance.purge_samples is
    'A purge''s verification samples, from before its destruction until its certification; then deleted.';

-- the compliance role takes, reads and destroys them; it never rewrites one
revoke update, truncate on compliance.purge_samples from trq_compliance, trq_loader;
revoke insert, delete, truncate on compliance.purge_sampling from trq_loader;
