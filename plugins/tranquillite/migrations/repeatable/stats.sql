-- Repeatable: stats: the normal distribution the tension marts compute with.
-- Re-applied at set-up whenever this file changes (python -m tranquillite.warehouse migrate);
-- edit the definitions here, never in versioned/. A change of signature or of a view's columns
-- needs a versioned migration that drops the old object first.

-- function stats.erfc_fit (first defined in versioned/007_zones.sql)
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

-- function stats.erfc (first defined in versioned/007_zones.sql)
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

-- function stats.normal_two_sided_p (first defined in versioned/007_zones.sql)
-- P(|Z| >= |z|) for a standard normal Z: the two-sided p-value of a z-score.
create or replace function stats.normal_two_sided_p(z double precision)
returns double precision
language sql
immutable
parallel safe
as $$
    select least(1.0, stats.erfc(abs(z) / sqrt(2.0)))
$$;
