{#- Fails on every row where column_name comes before the other column. -#}
{% test not_before(model, column_name, other) %}
    select *
    from {{ model }}
    where {{ column_name }} < {{ other }}
{% endtest %}
