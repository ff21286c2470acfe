{#- The date the tension marts are computed as of: the `tension_as_of` var, else
    the day the build started. One definition, so the calendar of
    int_zone_periods_measured and the final week of the emerging patterns agree. -#}
{% macro tension_as_of() -%}
    {{ return(var('tension_as_of') or run_started_at.strftime('%Y-%m-%d')) }}
{%- endmacro %}
