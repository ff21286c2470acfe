{{ config(indexes=[
    {'columns': ['event_id'], 'unique': true},
    {'columns': ['geom_2154'], 'type': 'gist'},
    {'columns': ["tstzrange(starts_at, greatest(ends_at, starts_at), '[]')", 'geom_2154'], 'type': 'gist'},
]) }}

{#- Every located event in Lambert-93 (EPSG:2154), where distances and areas are
    metres: what the zones and the conflicts measure with. -#}
with

events as (

    select * from {{ ref('int_events_unioned') }}

),

located as (

    select
        event_id,
        source,
        convention_id,
        event_type,
        starts_at,
        -- an event without an end is taken as an instant
        coalesce(ends_at, starts_at) as ends_at,
        is_cancelled,
        coalesce(expected_attendance, declared_attendance) as attendance,
        st_transform(geom, 2154) as geom_2154
    from events
    where geom is not null and not st_isempty(geom)

)

select * from located
