with

versions as (

    select * from {{ ref('stg_cortege__entry_versions') }}
    where entry_type = 'operation_programmee'

),

operations as (

    select
        entry_id,
        entry_version,
        payload ->> 'theme' as theme

    from versions

)

select * from operations
