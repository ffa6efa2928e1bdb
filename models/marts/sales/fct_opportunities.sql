-- One row per opportunity (its current version): the deal with its amount
-- in its own currency and in the reporting currency (var
-- reporting_currency), converted with the monthly rate of its close month
-- (creation month while open).
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
        opportunities.opportunity_id,
        opportunities.lead_id,
        opportunities.stage,
        opportunities.currency,
        amounts.reporting_currency,
        amounts.fx_status,
        opportunities.amount,
        amounts.amount_reporting,
        opportunities.version_count,
        opportunities.is_won,
        opportunities.is_closed,
        amounts.rate_month as fx_rate_month,
        opportunities.created_at,
        opportunities.closed_at,
        opportunities.updated_at
    from opportunities
    inner join amounts
        on opportunities.opportunity_id = amounts.record_id
)

select * from final
