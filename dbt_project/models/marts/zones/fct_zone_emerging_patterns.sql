{{ config(indexes=[{'columns': ['zone_id'], 'unique': true}]) }}

{#- How each hexagon's tension has evolved over the last N weeks. -#}
{%- set as_of = tension_as_of() -%}
with

patterns as (

    {{ emerging_patterns(
        ref('fct_tension_zones'),
        "date_trunc('week', '" ~ as_of ~ "'::date)",
        var('emerging_weeks'),
        var('emerging_trend_alpha'),
    ) }}

),

final as (

    select
        zone_id,
        weeks_analysed::integer as weeks_analysed,
        first_week,
        final_week,
        hot_weeks::integer as hot_weeks,
        cold_weeks::integer as cold_weeks,
        final_bin,
        final_hot_run::integer as final_hot_run,
        final_cold_run::integer as final_cold_run,
        z_scores,
        mk_s::integer as mk_s,
        mk_z::double precision as mk_z,
        mk_p,
        trend,
        pattern
    from patterns

)

select * from final
