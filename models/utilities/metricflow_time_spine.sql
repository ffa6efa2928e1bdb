{{ config(materialized='table') }}
-- One row per day from 2015 to 2035: the time spine MetricFlow joins
-- metrics to (models/marts/kpis/_kpis__semantic_models.yml).
with

days as (
    {{ dbt.date_spine(
        'day',
        "cast('2015-01-01' as date)",
        "cast('2036-01-01' as date)"
    ) }}
),

final as (
    select cast(date_day as date) as date_day
    from days
)

select * from final
