{#- One row per event, every source, latest version: the table the map, the
    zones of tension and the BI tools read. -#}
with

events as (

    select * from {{ ref('int_events_unioned') }}

),

final as (

    select
        event_id,
        source,
        source_record_id,
        source_version,
        convention_id,
        event_type,
        title,
        description,
        starts_at,
        ends_at,
        is_cancelled,
        expected_attendance,
        declared_attendance,
        expected_vehicles,
        declared_vehicles,
        organizer_status,
        theme,
        source_category,
        geom::geometry (geometry, 4326) as geom,
        geom_quality,
        geocoding_status,
        source_updated_at,
        source_closed_at,
        loaded_at

    from events

)

select * from final
