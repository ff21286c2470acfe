{#- Pairs of events that meet in time and space: spans that overlap or come
    within `margin_minutes` of each other, geometries within `distance_m` metres
    (Lambert-93). Each pair once (the smaller event_id first). Cancelled events
    and the excluded sources never conflict; nor do two road works (a pair needs
    at least one gathering, visit or operation). events_relation: event_id,
    source, convention_id, event_type, starts_at, ends_at, is_cancelled, geom_2154.

    Severity: a score from 1, plus 1 when a demonstration (march, static
    gathering) meets an official visit, a police operation, another
    demonstration or a road closure; plus 1 when the spans truly overlap (not
    only within the margin); plus 1 when the geometries cross or come within
    50 m. 4 is high, 3 medium, less is low.

    The spans' condition is also written as an overlap of ranges, the shape of
    int_events_projected's GiST index on (span, place): on the place alone, the index
    returns around every event the interventions of all four years, which conflict with
    nothing (at 1M events: 53 s; on the place alone the query had not ended after four
    minutes, at a planner's cost a hundred times higher). -#}
{% macro event_conflicts(events_relation, margin_minutes, distance_m, excluded_sources) %}
    {%- set demonstrations = "('march', 'static_gathering')" -%}
    {%- set sensitive = "('march', 'static_gathering', 'official_visit', 'police_operation', 'road_closure')" -%}
    {%- set road_works = "('road_closure', 'road_restriction', 'road_diversion')" -%}
with

events as not materialized (

    select
        event_id,
        source,
        convention_id,
        event_type,
        starts_at,
        ends_at,
        geom_2154
    from {{ events_relation }}
    where
        not is_cancelled
{%- if excluded_sources | length > 0 %}
        and source not in ({% for s in excluded_sources %}'{{ s }}'{{ ", " if not loop.last }}{% endfor %})
{%- endif %}

),

pairs as (

    select
        a.event_id as event_id_a,
        b.event_id as event_id_b,
        a.source as source_a,
        b.source as source_b,
        a.convention_id as convention_id_a,
        b.convention_id as convention_id_b,
        a.event_type as event_type_a,
        b.event_type as event_type_b,
        a.starts_at as starts_at_a,
        a.ends_at as ends_at_a,
        b.starts_at as starts_at_b,
        b.ends_at as ends_at_b,
        st_distance(a.geom_2154, b.geom_2154) as min_distance_m,
        st_intersects(a.geom_2154, b.geom_2154) as is_crossing,
        st_centroid(st_shortestline(a.geom_2154, b.geom_2154)) as meeting_point_2154
    from events as a
    inner join events as b
        on
            a.event_id < b.event_id
            and a.starts_at - interval '{{ margin_minutes }} minutes' <= b.ends_at
            and b.starts_at - interval '{{ margin_minutes }} minutes' <= a.ends_at
            and tstzrange(b.starts_at, greatest(b.ends_at, b.starts_at), '[]')
            && tstzrange(
                a.starts_at - interval '{{ margin_minutes }} minutes',
                a.ends_at + interval '{{ margin_minutes }} minutes',
                '[]'
            )
            and st_dwithin(a.geom_2154, b.geom_2154, {{ distance_m }})
    where a.event_type not in {{ road_works }} or b.event_type not in {{ road_works }}

),

measured as (

    select
        *,
        greatest(starts_at_a, starts_at_b) - interval '{{ margin_minutes }} minutes' as window_starts_at,
        least(ends_at_a, ends_at_b) + interval '{{ margin_minutes }} minutes' as window_ends_at,
        greatest(
            0, extract(epoch from least(ends_at_a, ends_at_b) - greatest(starts_at_a, starts_at_b)) / 60
        ) as overlap_minutes,
        greatest(
            0, extract(epoch from greatest(starts_at_a, starts_at_b) - least(ends_at_a, ends_at_b)) / 60
        ) as gap_minutes,
        (event_type_a in {{ demonstrations }} and event_type_b in {{ sensitive }})
        or (event_type_b in {{ demonstrations }} and event_type_a in {{ sensitive }}) as is_sensitive_pair
    from pairs

),

scored as (

    select
        *,
        1
        + is_sensitive_pair::integer
        + (greatest(starts_at_a, starts_at_b) <= least(ends_at_a, ends_at_b))::integer
        + (is_crossing or min_distance_m <= 50)::integer as severity_score
    from measured

)

select
    md5(event_id_a::text || ':' || event_id_b::text)::uuid as conflict_id,
    event_id_a,
    event_id_b,
    source_a,
    source_b,
    convention_id_a,
    convention_id_b,
    event_type_a,
    event_type_b,
    least(event_type_a, event_type_b) || '+' || greatest(event_type_a, event_type_b) as pair_kind,
    window_starts_at,
    window_ends_at,
    overlap_minutes::double precision as overlap_minutes,
    gap_minutes::double precision as gap_minutes,
    min_distance_m,
    is_crossing,
    is_sensitive_pair,
    severity_score,
    case when severity_score >= 4 then 'high' when severity_score = 3 then 'medium' else 'low' end as severity,
    {{ margin_minutes }} as margin_minutes,
    {{ distance_m }}::double precision as distance_threshold_m,
    st_transform(meeting_point_2154, 4326)::geometry(point, 4326) as geom
from scored
{% endmacro %}
