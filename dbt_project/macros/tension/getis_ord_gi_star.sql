{#- The local Getis-Ord Gi* of every zone in every period, its two-sided
    p-value, the Benjamini-Hochberg adjustment across the zones of the period
    and the hot/cold class.

    activity_relation: zone_id, period_kind, period_start, activity -- complete:
        every zone has a row in every period, zeros included.
    pairs_relation: zone_id, neighbour_zone_id, threshold_m (distance_band_pairs).

    z_i = (sum_j w_ij x_j - mean * W_i) / (s * sqrt((n * W_i - W_i^2) / (n - 1)))
    with binary w_ij (w_ii = 1), W_i = sum_j w_ij, mean and s the period's mean and
    population standard deviation over its n zones: the same moments as PySAL's
    esda.G_Local(star=True, transform='B'), whose Zs it reproduces. Undefined
    (null) when every zone of the period has the same activity, or when a zone's
    neighbourhood is the whole study area. -#}
{% macro getis_ord_gi_star(activity_relation, pairs_relation) %}
with

activity as (

    select
        zone_id,
        period_kind,
        period_start,
        activity::double precision as activity
    from {{ activity_relation }}

),

pairs as (

    select
        zone_id,
        neighbour_zone_id,
        threshold_m
    from {{ pairs_relation }}

),

period_moments as (

    select
        period_kind,
        period_start,
        count(*) as zones_in_period,
        avg(activity) as period_mean,
        avg(activity * activity) - avg(activity) * avg(activity) as period_variance,
        max(activity) > min(activity) as is_varied
    from activity
    group by period_kind, period_start

),

neighbourhoods as (

    select
        pairs.zone_id,
        activity.period_kind,
        activity.period_start,
        sum(activity.activity) as neighbourhood_activity,
        count(*) as neighbours,
        max(pairs.threshold_m) as threshold_m
    from pairs
    inner join activity
        on pairs.neighbour_zone_id = activity.zone_id
    group by pairs.zone_id, activity.period_kind, activity.period_start

),

-- materialized: the p-value's inlined formula names the z-score some forty
-- times, and would otherwise recompute the whole expression each time
scored as materialized (

    select
        activity.zone_id,
        activity.period_kind,
        activity.period_start,
        activity.activity,
        neighbourhoods.neighbourhood_activity,
        neighbourhoods.neighbours,
        neighbourhoods.threshold_m,
        period_moments.zones_in_period,
        period_moments.period_mean,
        sqrt(greatest(period_moments.period_variance, 0)) as period_std,
        case
            when period_moments.is_varied and period_moments.zones_in_period > neighbourhoods.neighbours
                then (neighbourhoods.neighbourhood_activity - period_moments.period_mean * neighbourhoods.neighbours)
                / (
                    sqrt(period_moments.period_variance)
                    * sqrt(
                        (period_moments.zones_in_period * neighbourhoods.neighbours
                        - neighbourhoods.neighbours * neighbourhoods.neighbours)::double precision
                        / (period_moments.zones_in_period - 1)
                    )
                )
        end as z_score
    from activity
    inner join neighbourhoods
        on activity.zone_id = neighbourhoods.zone_id
        and activity.period_kind = neighbourhoods.period_kind
        and activity.period_start = neighbourhoods.period_start
    inner join period_moments
        on activity.period_kind = period_moments.period_kind
        and activity.period_start = period_moments.period_start

),

tested as (

    select
        *,
        stats.normal_two_sided_p(z_score) as p_value
    from scored

),

ranked as (

    select
        *,
        count(p_value) over (partition by period_kind, period_start) as tests_in_period,
        row_number() over (partition by period_kind, period_start order by p_value, zone_id) as p_rank
    from tested

),

adjusted as (

    -- Benjamini-Hochberg: q_(k) = min over j >= k of p_(j) * m / j, at most 1
    select
        *,
        least(
            1.0,
            min(p_value * tests_in_period / p_rank) over (
                partition by period_kind, period_start
                order by p_value desc, zone_id desc
                rows between unbounded preceding and current row
            )
        ) as p_value_fdr
    from ranked

),

classified as (

    select
        *,
        coalesce(p_value_fdr <= 0.05, false) as is_fdr_significant,
        (case
            when p_value_fdr <= 0.01 then 3
            when p_value_fdr <= 0.05 then 2
            when p_value_fdr <= 0.10 then 1
            else 0
        end * sign(coalesce(z_score, 0)))::integer as gi_bin
    from adjusted

)

select
    zone_id,
    period_kind,
    period_start,
    activity,
    neighbourhood_activity,
    neighbours,
    threshold_m,
    zones_in_period,
    period_mean,
    period_std,
    z_score,
    p_value,
    p_value_fdr,
    is_fdr_significant,
    gi_bin,
    case gi_bin
        when 3 then 'hot_spot_99'
        when 2 then 'hot_spot_95'
        when 1 then 'hot_spot_90'
        when -1 then 'cold_spot_90'
        when -2 then 'cold_spot_95'
        when -3 then 'cold_spot_99'
        else 'not_significant'
    end as tension_class
from classified
{% endmacro %}
