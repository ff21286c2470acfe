with

versions as (

    select * from {{ ref('stg_cortege__entry_versions') }}
    where entry_type = 'manifestation_statique'

),

gatherings as (

    select
        entry_id,
        entry_version,
        {{ cortege_attendance() }},
        {{ geojson_geometry("payload -> 'emprise'") }} as declared_footprint

    from versions

)

select * from gatherings
