{#- A GeoJSON geometry held in a jsonb value, as a 2-D PostGIS geometry in WGS 84 (an elevation,
    which RFC 7946 allows, would not fit the marts' 2-D columns);
    null when the value is absent or JSON null. -#}
{% macro geojson_geometry(json_expr) -%}
    case
        when jsonb_typeof({{ json_expr }}) = 'object'
            then st_force2d(st_setsrid(st_geomfromgeojson({{ json_expr }}::text), 4326))
    end
{%- endmacro %}
