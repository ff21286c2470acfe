{#- One row per event, every source, latest version: the table the map, the
    zones of tension and the BI tools read. -#}
with

events as (

    select * from {{ ref('int_events_unioned') }}

),

held as (

    select * from {{ ref('stg_ops__held_versions') }}

),

final as (

    select
        events.event_id,
        events.source,
        events.source_record_id,
        events.source_version,
        events.convention_id,
        events.event_type,
        events.title,
        events.description,
        events.starts_at,
        events.ends_at,
        events.is_cancelled,
        events.expected_attendance,
        events.declared_attendance,
        events.expected_vehicles,
        events.declared_vehicles,
        events.organizer_status,
        events.theme,
        events.source_category,
        events.geom::geometry (geometry, 4326) as geom,
        events.geom_quality,
        events.geocoding_status,
        events.source_updated_at,
        events.source_closed_at,
        events.loaded_at,
        -- a later version than the one shown is held at the gate: this row is not current
        held.source_record_id is not null as latest_version_held,
        held.held_reason as latest_version_held_reason

    from events
    left join held
        on
        events.source = held.source
        and events.source_record_id = held.source_record_id
        and (
            events.source_version < held.held_version
            or (held.held_version is null and events.loaded_at < held.held_received_at)
        )

)

select * from final
