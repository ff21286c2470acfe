{#- A municipal feed's staging model in the shape of int_events_unioned: the
    columns Cortège has and the feeds do not are null. -#}
{% macro feed_events(model, updated_at='null::timestamptz', closed_at='null::timestamptz') %}
    select
        event_id,
        source,
        source_record_id,
        null::integer as source_version,
        convention_id,
        event_type,
        title,
        description,
        starts_at,
        ends_at,
        false as is_cancelled,
        expected_attendance,
        null::integer as declared_attendance,
        null::integer as expected_vehicles,
        null::integer as declared_vehicles,
        null::text as organizer_status,
        null::text as theme,
        source_category,
        geom,
        geom_quality,
        geocoding_status,
        {{ updated_at }} as source_updated_at,
        {{ closed_at }} as source_closed_at,
        loaded_at
    from {{ ref(model) }}
{% endmacro %}
