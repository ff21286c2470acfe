{{ config(
    materialized='view',
    post_hook="alter view {{ this }} set (security_invoker = true)",
) }}

{#- What the operations room looks at: conflicts under way or due within the next days. -#}
with

conflicts as (

    select * from {{ ref('fct_event_conflicts') }}

),

upcoming as (

    select * from conflicts
    where
        window_ends_at >= now()
        and window_starts_at < now() + interval '{{ var("conflict_upcoming_days") }} days'

)

select * from upcoming
