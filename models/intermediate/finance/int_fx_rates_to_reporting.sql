-- One row per month and currency of the fx_rates_monthly seed: the factor
-- that turns an amount in that currency into the reporting currency (var
-- reporting_currency) with that month's rates. A month without a rate for
-- the reporting currency itself has no rows.
with

fx_rates as (
    select * from {{ ref('fx_rates_monthly') }}
),

rates as (
    select
        cast({{ lead_scoring.clean_text('rate_month') }} as date) as rate_month,
        upper({{ lead_scoring.clean_text('currency') }}) as currency,
        {{ lead_scoring.to_number(lead_scoring.clean_text('units_per_usd')) }}
            as units_per_usd
    from fx_rates
),

reporting_rates as (
    select
        rate_month,
        units_per_usd as reporting_units_per_usd
    from rates
    where currency = upper({{ lead_scoring.var_literal('reporting_currency', 'USD') }})
),

final as (
    select
        rates.rate_month,
        rates.currency,
        upper({{ lead_scoring.var_literal('reporting_currency', 'USD') }}) as reporting_currency,
        reporting_rates.reporting_units_per_usd / rates.units_per_usd
            as rate_to_reporting
    from rates
    inner join reporting_rates
        on rates.rate_month = reporting_rates.rate_month
    where rates.units_per_usd > 0
)

select * from final
