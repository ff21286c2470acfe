{{ config(indexes=[{'columns': ['zone_id', 'period_kind', 'period_start'], 'unique': true}]) }}

{#- The tension measure of every hexagon in every period, zeros included: Gi*
    needs the whole study area, not only where something happened. -#}
{%- set excluded_types = "'" ~ var('tension_excluded_event_types') | join("', '") ~ "'" -%}
{%- set as_of = tension_as_of() -%}
with

hexagons as (

    select zone_id from {{ ref('dim_zones') }}
    where zone_kind = 'hexagon'

),

activity as (

    select
        zone_id,
        period_kind,
        period_start,
        sum(events) as events
    from {{ ref('fct_zone_activity') }}
    -- an empty list leaves '' alone, which no event type is
    where event_type not in ({{ excluded_types }})
    group by zone_id, period_kind, period_start

),

bounds as (

    -- from the first period with activity to the last, or to the week of
    -- `tension_as_of` when later, and no more than the last N periods
    select
        period_kind,
        greatest(
            min(period_start),
            greatest(max(period_start), date_trunc(period_kind, '{{ as_of }}'::date)::date)
            - case period_kind
                when 'week' then 7 * ({{ var('tension_max_weeks') }} - 1)
                else {{ var('tension_max_days') }} - 1
            end
        ) as first_period,
        greatest(max(period_start), date_trunc(period_kind, '{{ as_of }}'::date)::date) as last_period
    from activity
    group by period_kind

),

calendar as (

    select
        bounds.period_kind,
        period_start::date as period_start
    from bounds
    cross join lateral generate_series(
        bounds.first_period,
        bounds.last_period,
        case bounds.period_kind when 'week' then interval '7 days' else interval '1 day' end
    ) as period_start

),

measured as (

    select
        hexagons.zone_id,
        calendar.period_kind,
        calendar.period_start,
        coalesce(activity.events, 0)::double precision as activity
    from hexagons
    cross join calendar
    left join activity
        on
        hexagons.zone_id = activity.zone_id
        and calendar.period_kind = activity.period_kind
        and calendar.period_start = activity.period_start

)

select * from measured
