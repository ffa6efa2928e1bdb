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

withdrawn_activities as (
    -- the activities inside a withdrawal: only the leads that withdrew take
    -- part in this range join, and the few keys it finds are joined back
    select distinct activities.activity_key
    from activities
    inner join withdrawn_periods
        on
            activities.lead_id = withdrawn_periods.lead_id
            and activities.occurred_at >= withdrawn_periods.valid_from
            and (
                withdrawn_periods.valid_to is null
                or activities.occurred_at < withdrawn_periods.valid_to
            )
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
            when withdrawn_activities.activity_key is not null
                then 'marketing consent withdrawn'
        end as not_scored_reason,
        withdrawn_activities.activity_key is null as is_scored,
        activities.activity_date,
        activities.occurred_at
    from activities
    left join withdrawn_activities
        on activities.activity_key = withdrawn_activities.activity_key
)

select * from final
