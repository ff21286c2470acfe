{{ config(materialized='view', post_hook="alter view {{ this }} set (security_invoker = true)") }}

{#- fct_event_conflicts with the meeting point as lon/lat and GeoJSON text. -#}
with

conflicts as (

    select * from {{ ref('fct_event_conflicts') }}

),

final as (

    select
        conflict_id,
        event_id_a,
        event_id_b,
        pair_kind,
        window_starts_at,
        window_ends_at,
        overlap_minutes,
        min_distance_m,
        is_crossing,
        severity,
        st_asgeojson(geom, 6) as geometry_geojson,
        st_x(geom) as lon,
        st_y(geom) as lat
    from conflicts

)

select * from final
