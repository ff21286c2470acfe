{{ config(indexes=[
    {'columns': ['zone_id', 'period_kind', 'period_start'], 'unique': true},
    {'columns': ['period_kind', 'period_start', 'gi_bin']},
]) }}

{#- Where activity clusters: the local Getis-Ord Gi* of every hexagon in every
    day and week, with its test and its class. -#}
{%- set excluded = var("tension_excluded_event_types") -%}
with

gi_star as (

    {{ getis_ord_gi_star(ref('int_zone_periods_measured'), ref('int_zone_neighbours')) }}

),

final as (

    select
        zone_id,
        period_kind,
        period_start,
        'events{{ " except " ~ excluded | join(", ") if excluded }}'::text as measure,
        activity,
        neighbourhood_activity,
        neighbours::integer as neighbours,
        threshold_m as distance_band_m,
        zones_in_period::integer as zones_in_period,
        period_mean,
        period_std,
        z_score,
        p_value,
        p_value_fdr,
        is_fdr_significant,
        gi_bin,
        tension_class
    from gi_star

)

select * from final
