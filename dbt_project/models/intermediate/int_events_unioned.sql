{{ config(indexes=[{'columns': ['event_id'], 'unique': true}]) }}

{#- Every source's events in one shape, the shape of marts.fct_events: Cortège,
    then one union branch per municipal feed (its staging model already speaks
    the common columns; what a feed does not have is null). -#}
with

cortege_latest as (

    select * from {{ ref('int_cortege_entries_deduplicated') }}

),

cortege_geometries as (

    select * from {{ ref('int_cortege_geometries_built') }}

),

marches as (

    select * from {{ ref('stg_cortege__marches') }}

),

gatherings as (

    select * from {{ ref('stg_cortege__static_gatherings') }}

),

operations as (

    select * from {{ ref('stg_cortege__police_operations') }}

),

cortege_events as (

    select
        md5('cortege:' || cortege_latest.entry_id::text)::uuid as event_id,
        'cortege'::text as source,
        cortege_latest.entry_id::text as source_record_id,
        cortege_latest.entry_version as source_version,
        cortege_latest.convention_id,
        case cortege_latest.entry_type
            when 'manifestation_deambulatoire' then 'march'
            when 'manifestation_statique' then 'static_gathering'
            when 'operation_programmee' then 'police_operation'
            when 'visite_officielle' then 'official_visit'
        end as event_type,
        cortege_latest.title,
        cortege_latest.description,
        cortege_latest.starts_at,
        cortege_latest.ends_at,
        cortege_latest.entry_state = 'annulee' as is_cancelled,
        coalesce(marches.expected_attendance, gatherings.expected_attendance) as expected_attendance,
        coalesce(marches.declared_attendance, gatherings.declared_attendance) as declared_attendance,
        coalesce(marches.expected_vehicles, gatherings.expected_vehicles) as expected_vehicles,
        coalesce(marches.declared_vehicles, gatherings.declared_vehicles) as declared_vehicles,
        coalesce(marches.organizer_status, gatherings.organizer_status) as organizer_status,
        operations.theme,
        cortege_latest.entry_type as source_category,
        cortege_geometries.geom,
        cortege_geometries.geom_quality,
        cortege_geometries.geocoding_status,
        cortege_latest.updated_at as source_updated_at,
        null::timestamptz as source_closed_at,
        cortege_latest.received_at as loaded_at

    from cortege_latest
    inner join cortege_geometries
        on cortege_latest.entry_id = cortege_geometries.entry_id
    left join marches
        on cortege_latest.entry_id = marches.entry_id
        and cortege_latest.entry_version = marches.entry_version
    left join gatherings
        on cortege_latest.entry_id = gatherings.entry_id
        and cortege_latest.entry_version = gatherings.entry_version
    left join operations
        on cortege_latest.entry_id = operations.entry_id
        and cortege_latest.entry_version = operations.entry_version

),

open_data_events as (

    {{ feed_events('stg_evenements_espace_public__events', updated_at='source_updated_at') }}

),

police_interventions as (

    {{ feed_events('stg_interventions_police_municipale__interventions') }}

),

road_works as (

    {{ feed_events('stg_travaux_voirie__work_sites', closed_at='source_closed_at') }}

),

unioned as (

    select * from cortege_events
    union all
    select * from open_data_events
    union all
    select * from police_interventions
    union all
    select * from road_works

)

select * from unioned
