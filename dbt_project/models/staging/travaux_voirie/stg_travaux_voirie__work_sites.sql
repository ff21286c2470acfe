{#- Road works and traffic orders, latest content of each work site. The file is
    replaced whole each day: a site missing from a later file is closed at that
    file's delivery (source_closed_at), never dropped. Invalid geometries were let
    through the gate only when PostGIS can repair them: repaired here. -#}
with

records as (

    select * from {{ source('feeds', 'feed_records') }}
    where source = 'travaux_voirie'

),

deliveries as (

    select * from {{ source('ops', 'feed_deliveries') }}
    where source = 'travaux_voirie'

),

latest as (

    select distinct on (record_id) *
    from records
    order by record_id asc, last_seen_at desc, received_at desc

),

closures as (

    select
        latest.record_id,
        min(deliveries.delivered_at) as closed_at
    from latest
    inner join deliveries
        on latest.delivery = deliveries.delivery
        and latest.last_seen_at < deliveries.delivered_at
    group by latest.record_id

),

typed as (

    select
        latest.record_id,
        latest.convention_id,
        latest.payload -> 'properties' ->> 'impact' as source_category,
        latest.payload -> 'properties' ->> 'nature' as title,
        latest.payload -> 'properties' ->> 'adresse' as description,
        ((latest.payload -> 'properties' ->> 'date_debut')::date)::timestamp at time zone 'Europe/Paris' as starts_at,
        ((latest.payload -> 'properties' ->> 'date_fin')::date + 1)::timestamp at time zone 'Europe/Paris'
            as planned_end,
        {{ geojson_geometry("latest.payload -> 'geometry'") }} as declared_geom,
        closures.closed_at,
        latest.received_at

    from latest
    left join closures
        on latest.record_id = closures.record_id

),

events as (

    select
        md5('travaux_voirie:' || record_id)::uuid as event_id,
        'travaux_voirie'::text as source,
        record_id as source_record_id,
        convention_id,
        case source_category
            when 'fermeture' then 'road_closure'
            when 'deviation' then 'road_diversion'
            else 'road_restriction'
        end as event_type,
        source_category,
        title,
        description,
        starts_at,
        greatest(starts_at, least(planned_end, closed_at)) as ends_at,
        null::integer as expected_attendance,
        case when st_isvalid(declared_geom) then declared_geom else st_makevalid(declared_geom) end as geom,
        case when st_isvalid(declared_geom) then 'declared_shape' else 'repaired_shape' end as geom_quality,
        null::text as geocoding_status,
        closed_at as source_closed_at,
        received_at as loaded_at

    from typed

)

select * from events
