with

versions as (

    select * from {{ ref('stg_cortege__entry_versions') }}
    where entry_type = 'manifestation_deambulatoire'

),

marches as (

    select
        entry_id,
        entry_version,
        {{ cortege_attendance() }},
        {{ geojson_geometry("payload -> 'trace'") }} as declared_route

    from versions

)

select * from marches
