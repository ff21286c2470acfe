{#- The geocoder's answers, one per normalised label, with the status the events show. -#}
with

source as (

    select * from {{ source('geo', 'geocoder_cache') }}

),

renamed as (

    select
        label_key,
        status as answer_status,
        case
            when status = 'found' and is_trusted then 'geocoded'
            when status = 'found' then 'untrusted'
            else 'not_found'
        end as geocoding_status,
        case
            when status = 'found' then st_setsrid(st_makepoint(lon, lat), 4326)
        end as geocoded_point,
        score,
        is_trusted,
        result_label,
        result_citycode,
        provider,
        geocoded_at

    from source

)

select * from renamed
