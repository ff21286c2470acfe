{{ config(indexes=[
    {'columns': ['zone_id'], 'unique': true},
    {'columns': ['geom_2154'], 'type': 'gist'},
    {'columns': ['centroid_2154'], 'type': 'gist'},
]) }}

{#- The zones events are counted in: a hexagonal grid in Lambert-93 over the
    territory, and the administrative zones when a GeoJSON of them is supplied. -#}
{%- set bbox = var('territory_bbox') -%}
{%- set edge = var('zone_hex_edge_m') -%}
with

boundaries as (

    select * from {{ source('geo', 'admin_boundaries') }}

),

territory_box as (

    select
        st_transform(
            st_makeenvelope({{ bbox[0] }}, {{ bbox[1] }}, {{ bbox[2] }}, {{ bbox[3] }}, 4326), 2154
        ) as box

),

territory as (

    -- the supplied zones' outline when there are any, else the box
    select
        coalesce(
            (select st_union(st_transform(boundaries.geom, 2154)) from boundaries),
            (select territory_box.box from territory_box)
        ) as shape

),

hexagons as (

    select
        'hex{{ edge }}m:' || hexagon.i || ':' || hexagon.j as zone_id,
        'hexagon'::text as zone_kind,
        null::text as zone_name,
        st_multi(hexagon.geom) as geom_2154
    from territory_box
    cross join lateral st_hexagongrid({{ edge }}, territory_box.box) as hexagon
    where st_intersects(hexagon.geom, (select territory.shape from territory))

),

administrative as (

    select
        boundaries.zone_kind || ':' || boundaries.zone_code as zone_id,
        boundaries.zone_kind,
        boundaries.zone_name,
        st_multi(st_transform(boundaries.geom, 2154)) as geom_2154
    from boundaries

),

zones as (

    select * from hexagons
    union all
    select * from administrative

),

final as (

    select
        zone_id,
        zone_kind,
        zone_name,
        st_transform(geom_2154, 4326)::geometry (multipolygon, 4326) as geom,
        geom_2154::geometry (multipolygon, 2154) as geom_2154,
        st_area(geom_2154)::double precision as area_m2,
        st_transform(st_centroid(geom_2154), 4326)::geometry (point, 4326) as centroid,
        st_centroid(geom_2154)::geometry (point, 2154) as centroid_2154
    from zones

)

select * from final
