{{ config(materialized='view', post_hook="alter view {{ this }} set (security_invoker = true)") }}

{#- fct_tension_zones with each zone's outline as GeoJSON text and its centroid as lon/lat. -#}
with

tension as (

    select * from {{ ref('fct_tension_zones') }}

),

zones as (

    select * from {{ ref('dim_zones') }}

),

final as (

    select
        tension.zone_id,
        tension.period_kind,
        tension.period_start,
        tension.activity,
        tension.z_score,
        tension.p_value,
        tension.p_value_fdr,
        tension.gi_bin,
        tension.tension_class,
        st_asgeojson(zones.geom, 6) as geometry_geojson,
        st_x(zones.centroid) as lon,
        st_y(zones.centroid) as lat
    from tension
    inner join zones on tension.zone_id = zones.zone_id

)

select * from final
