with

source as (

    select * from {{ source('cortege', 'entries') }}

),

renamed as (

    select
        entry_id,
        entry_version,
        entry_type,
        payload ->> 'etat' as entry_state,
        (payload ->> 'created_at')::timestamptz as created_at,
        updated_at,
        payload ->> 'objet' as title,
        payload ->> 'description' as description,
        (payload ->> 'debut')::timestamptz as starts_at,
        (payload ->> 'fin')::timestamptz as ends_at,
        convention_id,
        batch_id,
        received_at,
        payload_sha256,
        payload

    from source

)

select * from renamed
