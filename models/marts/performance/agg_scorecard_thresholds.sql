-- One row per scorecard, market (`all` for every market) and candidate MQL
-- threshold (every whole number that is the floor of a backtest lead's
-- score; between two of them nothing changes): if leads at or above it on their decision date
-- had been MQLs, how many per month, how many of them converted
-- (precision), how many of all conversions they caught (recall), and F1.
with

backtest as (
    select * from {{ ref('fct_scorecard_backtest_leads') }}
    where backtest_status = 'in backtest'
),

segmented as (
    select
        scorecard_id,
        'all' as market,
        floor(total_score) as score_floor,
        is_converted,
        decision_month
    from backtest
    union all
    select
        scorecard_id,
        market,
        floor(total_score) as score_floor,
        is_converted,
        decision_month
    from backtest
),

segment_totals as (
    select
        scorecard_id,
        market,
        count(*) as lead_count,
        cast(sum(case when is_converted then 1 else 0 end) as {{ dbt.type_bigint() }})
            as converted_count,
        count(distinct decision_month) as month_count
    from segmented
    group by scorecard_id, market
),

per_floor as (
    select
        scorecard_id,
        market,
        score_floor,
        count(*) as lead_count,
        cast(sum(case when is_converted then 1 else 0 end) as {{ dbt.type_bigint() }})
            as converted_count
    from segmented
    group by scorecard_id, market, score_floor
),

at_or_above as (
    -- leads whose score is at least the threshold: their floor is at least it
    select
        scorecard_id,
        market,
        score_floor as threshold,
        cast(sum(lead_count) over (
            partition by scorecard_id, market
            order by score_floor desc
            rows between unbounded preceding and current row
        ) as {{ dbt.type_bigint() }}) as predicted_count,
        cast(sum(converted_count) over (
            partition by scorecard_id, market
            order by score_floor desc
            rows between unbounded preceding and current row
        ) as {{ dbt.type_bigint() }}) as true_positive_count
    from per_floor
),

final as (
    select
        at_or_above.scorecard_id,
        at_or_above.market,
        cast(at_or_above.threshold as {{ dbt.type_int() }}) as threshold,
        at_or_above.predicted_count,
        at_or_above.true_positive_count,
        segment_totals.lead_count,
        segment_totals.converted_count,
        segment_totals.month_count,
        cast(at_or_above.true_positive_count as double) / at_or_above.predicted_count
            as precision,  -- noqa: RF04
        case
            when segment_totals.converted_count > 0
                then
                    cast(at_or_above.true_positive_count as double)
                    / segment_totals.converted_count
        end as recall,
        case
            when at_or_above.true_positive_count > 0
                then
                    2 * cast(at_or_above.true_positive_count as double)
                    / (at_or_above.predicted_count + segment_totals.converted_count)
            else 0
        end as f1,
        cast(at_or_above.predicted_count as double) / segment_totals.month_count
            as mqls_per_month
    from at_or_above
    inner join segment_totals
        on
            at_or_above.scorecard_id = segment_totals.scorecard_id
            and at_or_above.market = segment_totals.market
)

select * from final
