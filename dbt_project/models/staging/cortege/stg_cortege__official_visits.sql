with

versions as (

    select * from {{ ref('stg_cortege__entry_versions') }}
    where entry_type = 'visite_officielle'

),

visits as (

    select
        entry_id,
        entry_version,
        jsonb_array_length(payload -> 'adresses') as address_count

    from versions

)

select * from visits
