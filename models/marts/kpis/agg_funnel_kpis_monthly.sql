-- One row per cohort month (the month the leads were created, UTC),
-- market, lead source, and the champion scorecard's current band and
-- grade: how many leads the cohort has and how far they came (MQL, SQL =
-- an opportunity, customer = a won deal), the conversion rates between
-- stages, the sales cycle (days from creation to won: median and 90th
-- percentile), won revenue in the reporting currency, and the lead quality
-- score. Counts and sums add up across rows; rates and percentiles are per
-- row (recompute them from the counts when rolling up).
--
-- Lead quality score: the expected customers per 100 leads of the row,
-- from the band each lead is in now and the conversion rate of that band
-- in the champion's backtest (agg_scorecard_calibration). It says how good
-- a cohort is before its outcomes are known, on the same scale as the
-- conversion rate it predicts.
{%- set champion = lead_scoring.var_literal('champion_scorecard', 'default') %}
with

funnel as (
    select * from {{ ref('fct_lead_funnel') }}
),

leads as (
    select * from {{ ref('dim_leads') }}
),

scores as (
    select * from {{ ref('fct_lead_scores') }}
    where scorecard_id = {{ champion }}
),

band_rates as (
    select * from {{ ref('agg_scorecard_calibration') }}
    where scorecard_id = {{ champion }} and bucket_kind = 'band'
),

won_revenue as (
    select * from {{ ref('int_lead_won_revenue') }}
),

per_lead as (
    select
        funnel.lead_id,
        coalesce(leads.lead_source, 'unknown') as lead_source,
        funnel.market,
        coalesce(scores.band, 'unscored') as band,
        coalesce(scores.grade, 'none') as grade,
        band_rates.conversion_rate as expected_conversion_rate,
        won_revenue.won_amount_reporting,
        case
            when funnel.is_customer
                then {{ dbt.datediff('funnel.lead_at', 'funnel.customer_at', 'day') }}
        end as sales_cycle_days,
        funnel.has_been_mql,
        funnel.is_sales_accepted,
        funnel.is_customer,
        cast({{ dbt.date_trunc('month', 'funnel.lead_at') }} as date) as cohort_month
    from funnel
    left join leads
        on funnel.lead_id = leads.lead_id
    left join scores
        on funnel.lead_id = scores.lead_id
    left join band_rates
        on scores.band = band_rates.bucket
    left join won_revenue
        on funnel.lead_id = won_revenue.lead_id
),

final as (
    select
        cohort_month,
        market,
        lead_source,
        band,
        grade,
        count(*) as lead_count,
        cast(sum(case when has_been_mql then 1 else 0 end) as {{ dbt.type_bigint() }}) as mql_count,
        cast(sum(case when is_sales_accepted then 1 else 0 end) as {{ dbt.type_bigint() }})
            as sql_count,
        cast(sum(case when is_customer then 1 else 0 end) as {{ dbt.type_bigint() }})
            as customer_count,
        cast(sum(case when has_been_mql then 1 else 0 end) as double) / count(*)
            as lead_to_mql_rate,
        cast(sum(case when is_sales_accepted then 1 else 0 end) as double) / count(*)
            as lead_to_opportunity_rate,
        case
            when
                cast(sum(case when is_sales_accepted then 1 else 0 end) as {{ dbt.type_bigint() }})
                > 0
                then
                    cast(
                        sum(
                            case when is_customer and is_sales_accepted then 1 else 0 end
                        ) as double
                    )
                    / cast(
                        sum(
                            case when is_sales_accepted then 1 else 0 end
                        ) as {{ dbt.type_bigint() }}
                    )
        end as opportunity_to_customer_rate,
        {{ lead_scoring.percentile('sales_cycle_days', 0.5) }} as median_sales_cycle_days,
        {{ lead_scoring.percentile('sales_cycle_days', 0.9) }} as p90_sales_cycle_days,
        -- to the cent, so that a rerun publishes the same value
        round(coalesce(sum(won_amount_reporting), 0), 2) as won_amount_reporting,
        100 * avg(expected_conversion_rate) as lead_quality_score
    from per_lead
    group by cohort_month, market, lead_source, band, grade
)

select * from final
