-- One row per scored activity (int_activities_consented) of a lead with a
-- decision, on or before the lead's decision date, with its age in whole
-- days on that date: what the scorecard and the fit may count then.
with

decisions as (
    select * from {{ ref('int_lead_decisions') }}
),

activities as (
    select * from {{ ref('int_activities_consented') }}
    where is_scored
),

final as (
    select
        activities.activity_key,
        activities.activity_id,
        activities.lead_id,
        activities.activity_source,
        activities.activity_type,
        activities.event_type,
        activities.page_path,
        activities.content_type,
        activities.campaign_id,
        activities.email_id,
        activities.touch_type,
        activities.outcome,
        activities.owner_id,
        activities.opportunity_id,
        activities.stage,  -- noqa: RF04
        {{ dbt.datediff('activities.activity_date', 'decisions.decision_date', 'day') }}
            as age_days,
        activities.activity_date,
        decisions.decision_date,
        activities.occurred_at
    from activities
    inner join decisions
        on
            activities.lead_id = decisions.lead_id
            and activities.activity_date <= decisions.decision_date
)

select * from final
