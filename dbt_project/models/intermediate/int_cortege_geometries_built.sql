{{ config(indexes=[{'columns': ['entry_id'], 'unique': true}]) }}

{#- Where each latest entry is, and how we know it (geom_quality):
    a march's declared route, else the line through its located addresses;
    a gathering's declared footprint, else its address point; the address
    points otherwise. Unlocated addresses wait for geocoding. A march from and
    back to one place with nothing located on the way is at that place
    (address_point): a zero-length line is invalid for PostGIS. -#}
with

latest as (

    select
        entry_id,
        entry_version,
        entry_type,
        convention_id
    from {{ ref('int_cortege_entries_deduplicated') }}

),

marches as (

    select * from {{ ref('stg_cortege__marches') }}

),

gatherings as (

    select * from {{ ref('stg_cortege__static_gatherings') }}

),

all_addresses as (

    select * from {{ ref('stg_cortege__addresses') }}

),

addresses as (

    select * from all_addresses
    where address_point is not null

),

geocoding as (

    {#- the least settled status of the addresses that needed the geocoder -#}
    select
        all_addresses.entry_id,
        case
            when bool_or(all_addresses.geocoding_status = 'pending') then 'pending'
            when bool_or(all_addresses.geocoding_status = 'not_found') then 'not_found'
            when bool_or(all_addresses.geocoding_status = 'untrusted') then 'untrusted'
            else 'geocoded'
        end as geocoding_status
    from latest
    inner join all_addresses
        on latest.entry_id = all_addresses.entry_id
        and latest.entry_version = all_addresses.entry_version
    where all_addresses.geocoding_status is not null
    group by all_addresses.entry_id

),

located_addresses as (

    select
        latest.entry_id,
        count(*) as located_count,
        st_removerepeatedpoints(st_makeline(addresses.address_point order by addresses.address_order)) as address_line,
        st_collect(addresses.address_point order by addresses.address_order) as address_points

    from latest
    inner join addresses
        on latest.entry_id = addresses.entry_id
        and latest.entry_version = addresses.entry_version
    group by latest.entry_id

),

built as (

    select
        latest.entry_id,
        latest.convention_id,
        case
            when marches.declared_route is not null then marches.declared_route
            when gatherings.declared_footprint is not null then gatherings.declared_footprint
            when located_addresses.located_count = 1 then st_geometryn(located_addresses.address_points, 1)
            when latest.entry_type = 'manifestation_deambulatoire' and st_length(located_addresses.address_line) > 0
                then located_addresses.address_line
            when latest.entry_type = 'manifestation_deambulatoire' and located_addresses.located_count > 1
                then st_startpoint(located_addresses.address_line)
            when located_addresses.located_count > 1 then located_addresses.address_points
        end as geom,
        case
            when marches.declared_route is not null then 'declared_route'
            when gatherings.declared_footprint is not null then 'declared_footprint'
            when located_addresses.located_count = 1 then 'address_point'
            when latest.entry_type = 'manifestation_deambulatoire' and st_length(located_addresses.address_line) > 0
                then 'route_from_addresses'
            when latest.entry_type = 'manifestation_deambulatoire' and located_addresses.located_count > 1
                then 'address_point'
            when located_addresses.located_count > 1 then 'address_points'
            else 'not_located'
        end as geom_quality,
        geocoding.geocoding_status

    from latest
    left join marches
        on latest.entry_id = marches.entry_id
        and latest.entry_version = marches.entry_version
    left join gatherings
        on latest.entry_id = gatherings.entry_id
        and latest.entry_version = gatherings.entry_version
    left join located_addresses
        on latest.entry_id = located_addresses.entry_id
    left join geocoding
        on latest.entry_id = geocoding.entry_id

)

select * from built
