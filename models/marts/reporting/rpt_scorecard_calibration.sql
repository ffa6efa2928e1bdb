-- One row per scorecard, lead sample and score decile of the backtest
-- (fct_scorecard_backtest_leads, leads `in backtest`; deciles as in
-- agg_scorecard_calibration: ten equal-sized groups by the score on the
-- decision date, 1 the highest). Sample `backtest`: every backtest lead;
-- sample `holdout`: the leads decided after the latest training window of
-- a fitted scorecard (scorecard_fits), which no fit has seen, for every
-- scorecard so that champion and challengers are judged on the same leads.
-- The observed conversion rate beside, for a fitted scorecard, the rate its
-- scores stand for (predicted_rate: the mean over the decile's leads of the
-- probability of the fit's scale); null for a hand-written scorecard.
with

backtest as (
    select * from {{ ref('fct_scorecard_backtest_leads') }}
    where backtest_status = 'in backtest'
),

fits as (
    select * from {{ ref('scorecard_fits') }}
),

trained_through as (
    select max(train_until) as train_until
    from fits
),

samples as (
    select
        'backtest' as lead_sample,
        backtest.lead_id,
        backtest.scorecard_id,
        backtest.total_score,
        backtest.is_converted
    from backtest
    union all
    select
        'holdout' as lead_sample,
        backtest.lead_id,
        backtest.scorecard_id,
        backtest.total_score,
        backtest.is_converted
    from backtest
    cross join trained_through
    where backtest.decision_date > trained_through.train_until
),

deciles as (
    select
        *,
        ntile(10) over (
            partition by scorecard_id, lead_sample
            order by total_score desc, lead_id asc
        ) as decile
    from samples
),

predicted as (
    select
        deciles.lead_sample,
        deciles.scorecard_id,
        deciles.decile,
        deciles.total_score,
        deciles.is_converted,
        fits.scorecard_id is not null as is_fitted,
        1.0 / (
            1.0 + exp(-(
                ln(fits.base_rate / (1 - fits.base_rate))
                + (deciles.total_score - fits.base_score) * ln(2.0)
                / fits.points_to_double_odds
            ))
        ) as predicted_probability
    from deciles
    left join fits
        on deciles.scorecard_id = fits.scorecard_id
),

final as (
    select
        scorecard_id,
        lead_sample,
        cast(decile as {{ dbt.type_bigint() }}) as decile,
        is_fitted,
        cast(count(*) as {{ dbt.type_bigint() }}) as lead_count,
        cast(sum(case when is_converted then 1 else 0 end) as {{ dbt.type_bigint() }})
            as converted_count,
        cast(avg(case when is_converted then 1.0 else 0.0 end) as double) as observed_rate,
        cast(avg(predicted_probability) as double) as predicted_rate,
        min(total_score) as min_score,
        max(total_score) as max_score
    from predicted
    group by scorecard_id, lead_sample, decile, is_fitted
)

select * from final
