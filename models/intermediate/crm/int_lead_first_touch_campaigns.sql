-- One row per lead with a marketing event that names a campaign: the
-- campaign of its first such event (ties: the row loaded first), the
-- first-touch attribution that the channel economics use. Events after
-- the as-of date do not count.
with

events as (
    select * from {{ ref('int_events_validated') }}
),

ranked as (
    select
        lead_id,
        campaign_id,
        occurred_at,
        row_number() over (
            partition by lead_id
            order by occurred_at asc, source_row_number asc
        ) as touch_rank
    from events
    where
        is_usable
        and campaign_id is not null
        and occurred_date <= {{ lead_scoring.score_as_of_date() }}
),

final as (
    select
        lead_id,
        campaign_id,
        occurred_at as first_touch_at
    from ranked
    where touch_rank = 1
)

select * from final
