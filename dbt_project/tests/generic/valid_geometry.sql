{#- Fails on every row whose geometry PostGIS finds invalid or not in WGS 84. -#}
{% test valid_geometry(model, column_name) %}
    select *
    from {{ model }}
    where
        {{ column_name }} is not null
        and (not st_isvalid({{ column_name }}) or st_srid({{ column_name }}) <> 4326)
{% endtest %}
