-- Zones of tension (#5): the administrative boundaries a deployment supplies, and
-- the normal distribution that PostgreSQL 15 lacks (erf/erfc arrived in 16).

-- Arrondissements, quartiers...: loaded from the GeoJSON file named by
-- TRQ_ZONES_GEOJSON before each warehouse build (tranquillite.zones); the project
-- ships none. Replaced whole at each load: the file is the reference.
create table if not exists geo.admin_boundaries (
    zone_code text not null,
    zone_kind text not null,
    zone_name text,
    geom geometry (multipolygon, 4326) not null,
    source_file_sha256 text not null,
    loaded_at timestamptz not null default now(),
    primary key (zone_kind, zone_code)
);
comment on table geo.admin_boundaries is
    'Administrative zones (arrondissements, quartiers) read from the configured GeoJSON; public reference data.';

create schema if not exists stats;
comment on schema stats is 'Statistical helpers the marts compute with, in the warehouse.';

-- erfc(x) by the Chebyshev fit of Numerical Recipes (erfcc): relative error below
-- 1.2e-7 over the whole real line, tails included, so small p-values keep their
-- digits. Plain single-expression SQL, immutable: the planner inlines it into the
-- query, so a million rows cost no function calls (not STRICT: that would stop the
-- inlining; a null gives null anyway). z = |x|, t = 1 / (1 + z / 2).
create or replace function stats.erfc_fit(z double precision, t double precision)
returns double precision
language sql
immutable
parallel safe
as $$
    -- beyond z = 26 erfc is below 1e-295: 0, as PostgreSQL raises on underflow
    select case when z > 26 then 0.0 else t * exp(
        -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
        + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
        + t * (-0.82215223 + t * 0.17087277))))))))
    ) end
$$;

create or replace function stats.erfc(x double precision)
returns double precision
language sql
immutable
parallel safe
as $$
    select case
        when x >= 0 then stats.erfc_fit(x, 1 / (1 + 0.5 * x))
        else 2 - stats.erfc_fit(-x, 1 / (1 - 0.5 * x))
    end
$$;

-- P(|Z| >= |z|) for a standard normal Z: the two-sided p-value of a z-score.
create or replace function stats.normal_two_sided_p(z double precision)
returns double precision
language sql
immutable
parallel safe
as $$
    select least(1.0, stats.erfc(abs(z) / sqrt(2.0)))
$$;
