{#- Per record, the latest version the gate holds back and why: an event whose latest
    version is held still shows its last accepted one, and the marts say so. -#}
with

source as (

    select * from {{ source('ops', 'held_versions') }}

),

latest_held as (

    select distinct on (source, record_id)
        source,
        record_id,
        record_version,
        reason_code,
        received_at

    from source
    order by source asc, record_id asc, record_version desc nulls last, received_at desc

),

renamed as (

    select
        source,
        record_id as source_record_id,
        record_version as held_version,
        reason_code as held_reason,
        received_at as held_received_at

    from latest_held

)

select * from renamed
