{{ config(indexes=[{'columns': ['entry_id'], 'unique': true}]) }}

{#- The latest version of each Cortège entry: a later version replaces an
    earlier one (contract, delivery semantics). -#}
with

versions as (

    select * from {{ ref('stg_cortege__entry_versions') }}

),

ranked as (

    select
        *,
        row_number() over (partition by entry_id order by entry_version desc) as version_rank

    from versions

),

latest as (

    select * from ranked
    where version_rank = 1

)

select * from latest
