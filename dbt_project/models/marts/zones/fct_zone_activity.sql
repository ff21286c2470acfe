{{ config(indexes=[{'columns': ['period_kind', 'period_start', 'zone_id']}]) }}

{#- What happened in each zone, per local day and ISO week: events, attendance
    and minutes of occupation, by source and event type. -#}
with

zones as (

    select
        zone_id,
        geom_2154
    from {{ ref('dim_zones') }}

),

events as (

    select * from {{ ref('int_events_projected') }}
    where not is_cancelled

),

local_spans as (

    select
        *,
        starts_at at time zone 'Europe/Paris' as local_starts_at,
        ends_at at time zone 'Europe/Paris' as local_ends_at
    from events

),

periods as (

    -- local days and ISO weeks (Monday), bounded in real instants: a DST day lasts 23 or 25 hours
    select
        local_spans.event_id,
        period.period_kind,
        period.local_start::date as period_start,
        period.local_start at time zone 'Europe/Paris' as period_starts_at,
        (period.local_start + period.length) at time zone 'Europe/Paris' as period_ends_at
    from local_spans
    cross join lateral (
        select
            'day' as period_kind,
            day_start as local_start,
            interval '1 day' as length
        from generate_series(
                date_trunc('day', local_spans.local_starts_at),
                date_trunc('day', local_spans.local_ends_at),
                interval '1 day'
            ) as day_start
        union all
        select
            'week' as period_kind,
            week_start as local_start,
            interval '7 days' as length
        from generate_series(
                date_trunc('week', local_spans.local_starts_at),
                date_trunc('week', local_spans.local_ends_at),
                interval '7 days'
            ) as week_start
    ) as period

),

events_in_periods as (

    select
        events.event_id,
        events.source,
        events.convention_id,
        events.event_type,
        events.attendance,
        events.geom_2154,
        periods.period_kind,
        periods.period_start,
        extract(
            epoch from least(events.ends_at, periods.period_ends_at)
            - greatest(events.starts_at, periods.period_starts_at)
        ) / 60 as occupation_minutes
    from events
    inner join periods on events.event_id = periods.event_id
    where
        -- an instant counts in the period it falls in; a span in each period it overlaps
        (events.starts_at >= periods.period_starts_at and events.starts_at < periods.period_ends_at)
        or (events.starts_at < periods.period_ends_at and events.ends_at > periods.period_starts_at)

),

events_in_zones as (

    select
        zones.zone_id,
        events_in_periods.*
    from events_in_periods
    inner join zones on st_intersects(zones.geom_2154, events_in_periods.geom_2154)

),

aggregated as (

    select
        zone_id,
        period_kind,
        period_start,
        source,
        convention_id,
        event_type,
        count(*)::integer as events,
        sum(attendance)::bigint as attendance,
        round(sum(greatest(occupation_minutes, 0))::numeric, 1)::double precision as occupation_minutes
    from events_in_zones
    group by zone_id, period_kind, period_start, source, convention_id, event_type

)

select * from aggregated
