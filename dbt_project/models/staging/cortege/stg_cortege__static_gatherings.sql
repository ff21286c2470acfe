with

versions as (

    select * from {{ ref('stg_cortege__entry_versions') }}
    where entry_type = 'manifestation_statique'

),

gatherings as (

    select
        entry_id,
        entry_version,
        (payload ->> 'nb_personnes_attendues')::integer as expected_attendance,
        (payload ->> 'nb_personnes_declarees')::integer as declared_attendance,
        (payload ->> 'nb_voitures_attendues')::integer as expected_vehicles,
        (payload ->> 'nb_voitures_declarees')::integer as declared_vehicles,
        payload ->> 'statut_organisateur' as organizer_status,
        {{ geojson_geometry("payload -> 'emprise'") }} as declared_footprint

    from versions

)

select * from gatherings
