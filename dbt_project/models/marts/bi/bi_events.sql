{{ config(materialized='view', post_hook="alter view {{ this }} set (security_invoker = true)") }}

{#- fct_events for BI tools that do not read PostGIS: the geometry as GeoJSON
    text, and a point on it as lon/lat. -#}
with

events as (

    select * from {{ ref('fct_events') }}

),

final as (

    select
        event_id,
        source,
        convention_id,
        event_type,
        title,
        starts_at,
        ends_at,
        is_cancelled,
        expected_attendance,
        declared_attendance,
        source_category,
        geom_quality,
        geocoding_status,
        geometrytype(geom) as geometry_type,
        st_asgeojson(geom, 6) as geometry_geojson,
        st_x(st_pointonsurface(geom)) as lon,
        st_y(st_pointonsurface(geom)) as lat
    from events

)

select * from final
