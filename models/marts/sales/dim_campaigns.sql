-- One row per usable campaign: channel, market and spend, in its own
-- currency and in the reporting currency (var reporting_currency) at the
-- monthly rate of its start month.
with

campaigns as (
    select * from {{ ref('stg_crm__campaigns') }}
    where is_usable
),

amounts as (
    select * from {{ ref('int_amounts_converted') }}
    where amount_source = 'campaign_spend'
),

final as (
    select
        campaigns.campaign_id,
        campaigns.channel,
        campaigns.market,
        campaigns.currency,
        amounts.reporting_currency,
        amounts.fx_status,
        campaigns.spend,
        amounts.amount_reporting as spend_reporting,
        amounts.rate_month as fx_rate_month,
        campaigns.started_at,
        campaigns.ended_at
    from campaigns
    inner join amounts
        on campaigns.campaign_id = amounts.record_id
)

select * from final
