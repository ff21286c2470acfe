{#- A GeoJSON geometry held in a jsonb value, as a PostGIS geometry in WGS 84;
    null when the value is absent or JSON null. -#}
{% macro geojson_geometry(json_expr) -%}
    case
        when jsonb_typeof({{ json_expr }}) = 'object'
            then st_setsrid(st_geomfromgeojson({{ json_expr }}::text), 4326)
    end
{%- endmacro %}
