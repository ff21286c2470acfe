-- The anonymisation gate: what kinds of personal data a quarantined record held
-- (its copy is masked; only the types and field names are kept).
alter table quarantine.records add column finding_types text[] not null default '{}';
comment on column quarantine.records.finding_types is
    'Types of personal data found (email, phone, nir, ...); the payload holds them masked, e.g. [PHONE].';
comment on column quarantine.records.payload_sha256 is
    'SHA-256 of the record as received, before any masking: deduplication without keeping the data.';
