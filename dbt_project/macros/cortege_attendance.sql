{#- The counts and organiser status that marches and static gatherings share (Annexe I). -#}
{% macro cortege_attendance() -%}
    (payload ->> 'nb_personnes_attendues')::integer as expected_attendance,
    (payload ->> 'nb_personnes_declarees')::integer as declared_attendance,
    (payload ->> 'nb_voitures_attendues')::integer as expected_vehicles,
    (payload ->> 'nb_voitures_declarees')::integer as declared_vehicles,
    payload ->> 'statut_organisateur' as organizer_status
{%- endmacro %}
