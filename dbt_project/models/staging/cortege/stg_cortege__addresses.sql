{#- One row per address of an entry version, in route order for marches:
    departure (0), waypoints (1..n), arrival (n + 1). -#}
with

versions as (

    select * from {{ ref('stg_cortege__entry_versions') }}

),

single_addresses as (

    select
        entry_id,
        entry_version,
        'depart' as address_role,
        0 as address_order,
        payload -> 'adresse_depart' as address
    from versions
    where entry_type = 'manifestation_deambulatoire'

    union all

    select
        entry_id,
        entry_version,
        'arrivee' as address_role,
        jsonb_array_length(payload -> 'points_de_passage') + 1 as address_order,
        payload -> 'adresse_arrivee' as address
    from versions
    where entry_type = 'manifestation_deambulatoire'

    union all

    select
        entry_id,
        entry_version,
        'adresse' as address_role,
        0 as address_order,
        payload -> 'adresse' as address
    from versions
    where entry_type = 'manifestation_statique'

),

listed_addresses as (

    select
        versions.entry_id,
        versions.entry_version,
        'point_de_passage' as address_role,
        waypoints.ordinality::integer as address_order,
        waypoints.address
    from versions
    cross join
        lateral jsonb_array_elements(versions.payload -> 'points_de_passage')
        with ordinality as waypoints (address, ordinality)
    where versions.entry_type = 'manifestation_deambulatoire'

    union all

    select
        versions.entry_id,
        versions.entry_version,
        'adresse' as address_role,
        (places.ordinality - 1)::integer as address_order,
        places.address
    from versions
    cross join
        lateral jsonb_array_elements(versions.payload -> 'adresses')
        with ordinality as places (address, ordinality)
    where versions.entry_type in ('operation_programmee', 'visite_officielle')

),

all_addresses as (

    select * from single_addresses
    union all
    select * from listed_addresses

),

typed as (

    select
        entry_id,
        entry_version,
        address_role,
        address_order,
        address ->> 'libelle' as address_label,
        (address ->> 'lon')::double precision as lon,
        (address ->> 'lat')::double precision as lat,
        case
            when address ->> 'lon' is not null and address ->> 'lat' is not null
                then st_setsrid(
                        st_makepoint((address ->> 'lon')::double precision, (address ->> 'lat')::double precision),
                        4326
                    )
        end as address_point

    from all_addresses

)

select * from typed
