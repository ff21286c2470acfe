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

geocoded as (

    select * from {{ ref('stg_geo__geocoded_addresses') }}

),

typed as (

    select
        all_addresses.entry_id,
        all_addresses.entry_version,
        all_addresses.address_role,
        all_addresses.address_order,
        all_addresses.address ->> 'libelle' as address_label,
        (all_addresses.address ->> 'lon')::double precision as lon,
        (all_addresses.address ->> 'lat')::double precision as lat,
        case
            when all_addresses.address ->> 'lon' is not null and all_addresses.address ->> 'lat' is not null
                then st_setsrid(
                        st_makepoint(
                            (all_addresses.address ->> 'lon')::double precision,
                            (all_addresses.address ->> 'lat')::double precision
                        ),
                        4326
                    )
        end as declared_point

    from all_addresses

),

located as (

    select
        typed.entry_id,
        typed.entry_version,
        typed.address_role,
        typed.address_order,
        typed.address_label,
        typed.lon,
        typed.lat,
        coalesce(typed.declared_point, geocoded.geocoded_point) as address_point,
        case
            when typed.declared_point is not null then null
            else coalesce(geocoded.geocoding_status, 'pending')
        end as geocoding_status

    from typed
    left join geocoded
        on typed.declared_point is null
        and geo.normalise_label(typed.address_label) = geocoded.label_key

)

select * from located
