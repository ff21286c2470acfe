{#- The open-data portal's authorised events, latest content of each, in the shape of
    marts.fct_events. Events published without coordinates take the geocoder's point
    for their lieu. Category mapping: see the YAML beside this model. -#}
with

records as (

    select * from {{ source('feeds', 'feed_records') }}
    where source = 'evenements_espace_public'

),

latest as (

    select distinct on (record_id) *
    from records
    order by record_id asc, source_updated_at desc nulls last, received_at desc

),

geocoded as (

    select * from {{ ref('stg_geo__geocoded_addresses') }}

),

typed as (

    select
        record_id,
        convention_id,
        payload ->> 'categorie' as source_category,
        payload ->> 'titre' as title,
        payload ->> 'lieu' as place_label,
        (payload ->> 'date_debut')::timestamptz as starts_at,
        (payload ->> 'date_fin')::timestamptz as ends_at,
        (payload ->> 'affluence_prevue')::integer as expected_attendance,
        case
            when jsonb_typeof(payload -> 'geo_shape') = 'object'
                then {{ geojson_geometry("payload -> 'geo_shape' -> 'geometry'") }}
        end as declared_shape,
        case
            when jsonb_typeof(payload -> 'geo_point_2d') = 'object'
                then st_setsrid(
                        st_makepoint(
                            (payload -> 'geo_point_2d' ->> 'lon')::double precision,
                            (payload -> 'geo_point_2d' ->> 'lat')::double precision
                        ),
                        4326
                    )
        end as declared_point,
        source_updated_at,
        received_at

    from latest

),

events as (

    select
        md5('evenements_espace_public:' || typed.record_id)::uuid as event_id,
        'evenements_espace_public'::text as source,
        typed.record_id as source_record_id,
        typed.convention_id,
        case typed.source_category
            when 'culture' then 'cultural_event'
            when 'sport' then 'sports_event'
            when 'marche' then 'market'
            when 'tournage' then 'film_shoot'
            when 'fete' then 'street_festival'
            else 'other_public_event'
        end as event_type,
        typed.source_category,
        typed.title,
        typed.place_label as description,
        typed.starts_at,
        typed.ends_at,
        typed.expected_attendance,
        coalesce(typed.declared_shape, typed.declared_point, geocoded.geocoded_point) as geom,
        case
            when typed.declared_shape is not null then 'declared_shape'
            when typed.declared_point is not null then 'declared_point'
            when geocoded.geocoded_point is not null then 'address_point'
            else 'not_located'
        end as geom_quality,
        case
            when typed.declared_shape is not null or typed.declared_point is not null then null
            else coalesce(geocoded.geocoding_status, 'pending')
        end as geocoding_status,
        typed.source_updated_at,
        typed.received_at as loaded_at

    from typed
    left join geocoded
        on geo.normalise_label(typed.place_label) = geocoded.label_key

)

select * from events
