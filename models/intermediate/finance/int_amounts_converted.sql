-- One row per money amount the project reports (the current version of each
-- opportunity, each campaign's spend): the amount in the reporting currency
-- with the rate of the month the amount belongs to (a deal's close month,
-- or its creation month while open; a campaign's start month). A month the
-- seed does not have uses the latest earlier month of that currency; no
-- earlier rate (or an unknown currency) leaves the converted amount null
-- with fx_status saying why, never a guess.
with

opportunities as (
    select * from {{ ref('int_opportunities_current') }}
),

campaigns as (
    select * from {{ ref('stg_crm__campaigns') }}
),

fx_rates as (
    select * from {{ ref('int_fx_rates_to_reporting') }}
),

amounts as (
    select
        'opportunity' as amount_source,
        opportunity_id as record_id,
        currency,
        amount,
        cast(
            {{ dbt.date_trunc('month', 'coalesce(closed_at, created_at)') }} as date
        ) as amount_month
    from opportunities
    union all
    select
        'campaign_spend' as amount_source,
        campaign_id as record_id,
        currency,
        spend as amount,
        cast({{ dbt.date_trunc('month', 'started_at') }} as date) as amount_month
    from campaigns
    where is_usable
),

matched as (
    select
        amounts.amount_source,
        amounts.record_id,
        fx_rates.rate_month,
        fx_rates.rate_to_reporting,
        row_number() over (
            partition by amounts.amount_source, amounts.record_id
            order by fx_rates.rate_month desc
        ) as rate_rank
    from amounts
    inner join fx_rates
        on
            amounts.currency = fx_rates.currency
            and amounts.amount_month >= fx_rates.rate_month
),

final as (
    select
        amounts.amount_source,
        amounts.record_id,
        amounts.currency,
        upper({{ lead_scoring.var_literal('reporting_currency', 'USD') }}) as reporting_currency,
        case
            when amounts.amount is null then 'no amount'
            when amounts.currency is null then 'no currency'
            when matched.rate_to_reporting is null then 'no rate'
            else 'converted'
        end as fx_status,
        amounts.amount,
        matched.rate_to_reporting,
        amounts.amount * matched.rate_to_reporting as amount_reporting,
        amounts.amount_month,
        matched.rate_month
    from amounts
    left join matched
        on
            amounts.amount_source = matched.amount_source
            and amounts.record_id = matched.record_id
            and matched.rate_rank = 1
)

select * from final
