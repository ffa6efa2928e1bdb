-- One row per lead with a deal that is won now and was closed on or before
-- the as-of date: its won revenue in the reporting currency (deals whose
-- amount could not be converted add nothing; int_amounts_converted says
-- why). The KPI marts read revenue from here.
with

opportunities as (
    select * from {{ ref('int_opportunities_current') }}
),

amounts as (
    select * from {{ ref('int_amounts_converted') }}
    where amount_source = 'opportunity'
),

final as (
    select
        opportunities.lead_id,
        sum(amounts.amount_reporting) as won_amount_reporting
    from opportunities
    inner join amounts
        on opportunities.opportunity_id = amounts.record_id
    where
        opportunities.is_won
        and cast(opportunities.closed_at as date) <= {{ lead_scoring.score_as_of_date() }}
    group by opportunities.lead_id
)

select * from final
