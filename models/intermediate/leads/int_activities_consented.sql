{{ config(materialized='view') }}
-- A view: the stream is not copied to flag consent; only the few leads that
-- withdrew take part in the range join below (docs/performance.md).
-- One row per activity of the stream, with whether scoring may use it: an
-- activity that happened while the lead's marketing consent was withdrawn
-- (its latest `marketing` consent row at or before the activity says
-- withdrawn) is not scored (docs/privacy.md). No consent row at all does
-- not stop scoring; it stops outreach (int_lead_contactability).
with

activities as (
    select * from {{ ref('int_activities_unioned') }}
),

consent_periods as (
    select * from {{ ref('int_lead_consent_periods') }}
),

withdrawn_periods as (
    select
        lead_id,
        valid_from,
        valid_to
    from consent_periods
    where
        purpose = 'marketing'
        and status = 'withdrawn'
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
        case
            when withdrawn_periods.lead_id is not null
                then 'marketing consent withdrawn'
        end as not_scored_reason,
        withdrawn_periods.lead_id is null as is_scored,
        activities.activity_date,
        activities.occurred_at
    from activities
    -- a lead's withdrawal periods do not overlap: at most one matches, and
    -- only the few leads that withdrew are in the join's build side
    left join withdrawn_periods
        on
            activities.lead_id = withdrawn_periods.lead_id
            and activities.occurred_at >= withdrawn_periods.valid_from
            and (
                withdrawn_periods.valid_to is null
                or activities.occurred_at < withdrawn_periods.valid_to
            )
)

select * from final
