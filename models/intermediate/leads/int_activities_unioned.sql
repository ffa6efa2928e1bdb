{{ config(materialized='view') }}
-- A view: the activity stream is written once, by int_activities_consented
-- (docs/performance.md), not once per step.
-- One row per usable activity of a known lead, from every source: marketing
-- events, sales touches (type sales_touch) and opportunity events
-- (opportunity_created, _stage_changed, _won, _lost). Each source fills the
-- properties it has; the others are null. Activity rules filter on these
-- properties (validate_scorecard lists them).
with

events as (
    select * from {{ ref('int_events_validated') }}
),

sales_activities as (
    select * from {{ ref('int_sales_activities_validated') }}
),

opportunity_activities as (
    select * from {{ ref('int_opportunity_activities') }}
),

marketing_events as (
    select
        'events:' || cast(source_row_number as {{ dbt.type_string() }})
            as activity_key,
        event_id as activity_id,
        lead_id,
        'events' as activity_source,
        event_type as activity_type,
        event_type,
        page_path,
        content_type,
        campaign_id,
        email_id,
        cast(null as {{ dbt.type_string() }}) as touch_type,
        cast(null as {{ dbt.type_string() }}) as outcome,
        cast(null as {{ dbt.type_string() }}) as owner_id,
        cast(null as {{ dbt.type_string() }}) as opportunity_id,
        cast(null as {{ dbt.type_string() }}) as stage,  -- noqa: RF04
        occurred_date as activity_date,
        occurred_at
    from events
    where is_usable
),

sales_touches as (
    select
        'sales_activities:' || cast(source_row_number as {{ dbt.type_string() }})
            as activity_key,
        activity_id,
        lead_id,
        'sales_activities' as activity_source,
        'sales_touch' as activity_type,
        'sales_touch' as event_type,
        cast(null as {{ dbt.type_string() }}) as page_path,
        cast(null as {{ dbt.type_string() }}) as content_type,
        cast(null as {{ dbt.type_string() }}) as campaign_id,
        cast(null as {{ dbt.type_string() }}) as email_id,
        activity_type as touch_type,
        outcome,
        owner_id,
        cast(null as {{ dbt.type_string() }}) as opportunity_id,
        cast(null as {{ dbt.type_string() }}) as stage,  -- noqa: RF04
        occurred_date as activity_date,
        occurred_at
    from sales_activities
    where is_usable
),

opportunity_events as (
    select
        'opportunities:' || activity_id as activity_key,
        activity_id,
        lead_id,
        'opportunities' as activity_source,
        activity_type,
        activity_type as event_type,
        cast(null as {{ dbt.type_string() }}) as page_path,
        cast(null as {{ dbt.type_string() }}) as content_type,
        cast(null as {{ dbt.type_string() }}) as campaign_id,
        cast(null as {{ dbt.type_string() }}) as email_id,
        cast(null as {{ dbt.type_string() }}) as touch_type,
        cast(null as {{ dbt.type_string() }}) as outcome,
        cast(null as {{ dbt.type_string() }}) as owner_id,
        opportunity_id,
        stage,  -- noqa: RF04
        occurred_date as activity_date,
        occurred_at
    from opportunity_activities
),

final as (
    select * from marketing_events
    union all
    select * from sales_touches
    union all
    select * from opportunity_events
)

select * from final
