{{ config(indexes=[{'columns': ['neighbour_zone_id']}]) }}

{#- The Gi* weights: binary distance band between hexagon centroids. A subquery,
    not a CTE, so that the planner reaches dim_zones' index on the centroids. -#}
with

pairs as (

    {{ distance_band_pairs(
        "(select * from " ~ ref('dim_zones') ~ " where zone_kind = 'hexagon')",
        var('tension_distance_m'),
    ) }}

)

select * from pairs
