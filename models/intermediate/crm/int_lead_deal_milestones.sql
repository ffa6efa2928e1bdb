-- One row per lead with at least one opportunity event up to the as-of
-- date: how many deals it has, when sales accepted it (its first deal was
-- created: the SQL date) and when it became a customer (the first time a
-- deal that is won now was won; a won deal later re-opened or lost no
-- longer counts). The funnel and the backtests read outcomes from here.
with

opportunity_activities as (
    select * from {{ ref('int_opportunity_activities') }}
    where cast(occurred_at as date) <= {{ lead_scoring.score_as_of_date() }}
),

current_opportunities as (
    select * from {{ ref('int_opportunities_current') }}
),

final as (
    select
        opportunity_activities.lead_id,
        count(distinct opportunity_activities.opportunity_id) as opportunity_count,
        min(
            case
                when opportunity_activities.activity_type = 'opportunity_created'
                    then opportunity_activities.occurred_at
            end
        ) as sql_at,
        min(
            case
                when
                    opportunity_activities.activity_type = 'opportunity_won'
                    and current_opportunities.is_won
                    then opportunity_activities.occurred_at
            end
        ) as customer_at
    from opportunity_activities
    left join current_opportunities
        on opportunity_activities.opportunity_id = current_opportunities.opportunity_id
    group by opportunity_activities.lead_id
)

select * from final
