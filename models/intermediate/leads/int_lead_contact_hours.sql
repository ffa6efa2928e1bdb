-- One row per current lead with engagement activities (marketing events)
-- in the var contact_hour_lookback_days (180) days up to the as-of date:
-- the hour of the day, in the lead's own time zone, in which it engaged
-- most often (ties: the earliest hour), for scheduling calls and sends.
-- Activities recorded while marketing consent was withdrawn do not count.
{%- set lookback_days = var('contact_hour_lookback_days', 180) | int %}
with

activities as (
    select * from {{ ref('int_activities_consented') }}
),

leads as (
    select * from {{ ref('int_leads_localized') }}
),

recent_engagement as (
    select
        activities.lead_id,
        extract(
            hour from {{ lead_scoring.to_local_timestamp(
                'activities.occurred_at', 'leads.time_zone'
            ) }}
        ) as local_hour
    from activities
    inner join leads
        on activities.lead_id = leads.lead_id
    where
        activities.activity_source = 'events'
        and activities.is_scored
        and activities.activity_date <= {{ lead_scoring.score_as_of_date() }}
        and activities.activity_date > {{ dbt.dateadd(
            'day', -lookback_days, lead_scoring.score_as_of_date()
        ) }}
),

hours as (
    select
        lead_id,
        cast(local_hour as integer) as local_hour,
        cast(count(*) as bigint) as activity_count
    from recent_engagement
    group by lead_id, cast(local_hour as integer)
),

ranked as (
    select
        *,
        cast(sum(activity_count) over (partition by lead_id) as bigint)
            as total_activity_count,
        row_number() over (
            partition by lead_id
            order by activity_count desc, local_hour asc
        ) as hour_rank
    from hours
),

final as (
    select
        lead_id,
        local_hour as best_contact_hour_local,
        activity_count as best_hour_activity_count,
        total_activity_count as engagement_activity_count
    from ranked
    where hour_rank = 1
)

select * from final
