{#- The municipal police day book: the lines of the latest delivery of each daily
    file (a file delivered again replaces the earlier delivery), in the shape of
    marts.fct_events. An intervention is an instant at a point rounded at the source. -#}
with

records as (

    select * from {{ source('feeds', 'feed_records') }}
    where source = 'interventions_police_municipale'

),

deliveries as (

    select
        delivery,
        max(delivered_at) as delivered_at
    from {{ source('ops', 'feed_deliveries') }}
    where source = 'interventions_police_municipale'
    group by delivery

),

current_lines as (

    select distinct on (records.record_id) records.*
    from records
    inner join deliveries
        on records.delivery = deliveries.delivery
        and records.last_seen_at = deliveries.delivered_at
    order by records.record_id asc, records.line_number desc

),

events as (

    select
        md5('interventions_police_municipale:' || record_id)::uuid as event_id,
        'interventions_police_municipale'::text as source,
        record_id as source_record_id,
        convention_id,
        'municipal_police_intervention'::text as event_type,
        payload ->> 'categorie' as source_category,
        coalesce(payload ->> 'sous_categorie', payload ->> 'categorie') as title,
        payload ->> 'suite_donnee' as description,
        (payload ->> 'date_heure')::timestamptz as starts_at,
        (payload ->> 'date_heure')::timestamptz as ends_at,
        null::integer as expected_attendance,
        st_setsrid(
            st_makepoint((payload ->> 'longitude')::double precision, (payload ->> 'latitude')::double precision),
            4326
        ) as geom,
        'declared_point'::text as geom_quality,
        null::text as geocoding_status,
        delivery,
        received_at as loaded_at

    from current_lines

)

select * from events
