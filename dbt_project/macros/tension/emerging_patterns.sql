{#- Emerging hot and cold spots (Esri's Emerging Hot Spot Analysis) over the
    last `weeks` ISO weeks up to `final_week`, from each zone's series of weekly
    Gi* results. gi_relation: zone_id, period_kind, period_start, z_score, gi_bin
    (getis_ord_gi_star). A week is hot (cold) when its gi_bin is positive
    (negative): significant at 90 % after the FDR adjustment.

    The trend is a Mann-Kendall test on the zone's z-scores (tie-corrected
    variance, continuity correction), significant at `alpha`. Departures from
    Esri are documented in fct_zone_emerging_patterns.yml. -#}
{% macro emerging_patterns(gi_relation, final_week, weeks, alpha) %}
with

series as (

    select
        zone_id,
        period_start,
        coalesce(z_score, 0) as z_score,
        gi_bin
    from {{ gi_relation }}
    where
        period_kind = 'week'
        and period_start <= ({{ final_week }})::date
        and period_start > ({{ final_week }})::date - 7 * {{ weeks }}

),

steps as (

    select
        *,
        row_number() over (partition by zone_id order by period_start) as step,
        count(*) over (partition by zone_id) as steps
    from series

),

summaries as (

    select
        zone_id,
        max(steps) as weeks_analysed,
        min(period_start) as first_week,
        max(period_start) as final_week,
        count(*) filter (where gi_bin > 0) as hot_weeks,
        count(*) filter (where gi_bin < 0) as cold_weeks,
        max(gi_bin) filter (where step = steps) as final_bin,
        -- the uninterrupted run of hot (cold) weeks that ends with the final week
        max(steps) - coalesce(max(step) filter (where gi_bin <= 0), 0) as final_hot_run,
        max(steps) - coalesce(max(step) filter (where gi_bin >= 0), 0) as final_cold_run,
        array_agg(z_score order by period_start) as z_scores
    from steps
    group by zone_id

),

mann_kendall_s as (

    select
        earlier.zone_id,
        sum(sign(later.z_score - earlier.z_score)) as mk_s
    from steps as earlier
    inner join steps as later
        on earlier.zone_id = later.zone_id
        and earlier.step < later.step
    group by earlier.zone_id

),

ties as (

    select
        zone_id,
        sum(tied * (tied - 1) * (2 * tied + 5)) as tie_term
    from (
        select
            zone_id,
            count(*) as tied
        from steps
        group by zone_id, z_score
        having count(*) > 1
    ) as tie_groups
    group by zone_id

),

trends as (

    select
        summaries.*,
        coalesce(mann_kendall_s.mk_s, 0) as mk_s,
        (
            summaries.weeks_analysed * (summaries.weeks_analysed - 1) * (2 * summaries.weeks_analysed + 5)
            - coalesce(ties.tie_term, 0)
        ) / 18.0 as mk_variance
    from summaries
    left join mann_kendall_s on summaries.zone_id = mann_kendall_s.zone_id
    left join ties on summaries.zone_id = ties.zone_id

),

tested as (

    select
        *,
        case
            when mk_variance <= 0 or mk_s = 0 then 0.0
            when mk_s > 0 then (mk_s - 1) / sqrt(mk_variance)
            else (mk_s + 1) / sqrt(mk_variance)
        end as mk_z
    from trends

),

-- materialized: the inlined p-value is computed once a zone, not once a use
tested_p as materialized (

    select
        *,
        stats.normal_two_sided_p(mk_z) as mk_p
    from tested

),

judged as (

    select
        *,
        case
            when mk_p <= {{ alpha }} and mk_z > 0 then 'increasing'
            when mk_p <= {{ alpha }} and mk_z < 0 then 'decreasing'
            else 'no_trend'
        end as trend,
        hot_weeks::double precision / weeks_analysed as hot_share,
        cold_weeks::double precision / weeks_analysed as cold_share
    from tested_p

)

select
    zone_id,
    weeks_analysed,
    first_week,
    final_week,
    hot_weeks,
    cold_weeks,
    final_bin,
    final_hot_run,
    final_cold_run,
    z_scores,
    mk_s,
    mk_z,
    mk_p,
    trend,
    case
        when final_bin > 0 then
            case
                when hot_weeks = 1 then 'new_hot_spot'
                when final_hot_run >= 2 and hot_weeks = final_hot_run and hot_share < 0.9 then 'consecutive_hot_spot'
                when hot_share >= 0.9 and trend = 'increasing' then 'intensifying_hot_spot'
                when hot_share >= 0.9 and trend = 'decreasing' then 'diminishing_hot_spot'
                when hot_share >= 0.9 then 'persistent_hot_spot'
                when cold_weeks = 0 then 'sporadic_hot_spot'
                else 'oscillating_hot_spot'
            end
        when final_bin < 0 then
            case
                when cold_weeks = 1 then 'new_cold_spot'
                when final_cold_run >= 2 and cold_weeks = final_cold_run and cold_share < 0.9 then 'consecutive_cold_spot'
                when cold_share >= 0.9 and trend = 'decreasing' then 'intensifying_cold_spot'
                when cold_share >= 0.9 and trend = 'increasing' then 'diminishing_cold_spot'
                when cold_share >= 0.9 then 'persistent_cold_spot'
                when hot_weeks = 0 then 'sporadic_cold_spot'
                else 'oscillating_cold_spot'
            end
        when hot_share >= 0.9 then 'historical_hot_spot'
        when cold_share >= 0.9 then 'historical_cold_spot'
        else 'no_pattern'
    end as pattern
from judged
{% endmacro %}
