{#- Binary distance-band weights between zones, as PySAL's
    DistanceBand(centroids, threshold, binary=True) with the diagonal filled
    (Gi*): every pair of zones whose centroids lie within `threshold_m` metres
    (Lambert-93), each zone paired with itself. `zones_relation` needs zone_id
    and centroid_2154 (a GiST index on it keeps this a nested loop of lookups). -#}
{% macro distance_band_pairs(zones_relation, threshold_m) %}
select
    zones.zone_id,
    neighbours.zone_id as neighbour_zone_id,
    st_distance(zones.centroid_2154, neighbours.centroid_2154) as distance_m,
    {{ threshold_m }}::double precision as threshold_m
from {{ zones_relation }} as zones
inner join {{ zones_relation }} as neighbours
    on st_dwithin(zones.centroid_2154, neighbours.centroid_2154, {{ threshold_m }})
{% endmacro %}
