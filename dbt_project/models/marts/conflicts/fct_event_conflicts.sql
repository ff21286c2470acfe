{{ config(indexes=[
    {'columns': ['conflict_id'], 'unique': true},
    {'columns': ['window_starts_at']},
]) }}

{#- Planned events that meet in time and space: a march route crossing an
    official visit, two gatherings on the same square, a demonstration on a
    closed street. -#}
with

conflicts as (

    {{ event_conflicts(
        ref('int_events_projected'),
        var('conflict_margin_minutes'),
        var('conflict_distance_m'),
        var('conflict_excluded_sources'),
    ) }}

)

select * from conflicts
