-- One row per scorecard with current scores: its backtest
-- (agg_scorecard_comparison) beside its two recommended MQL thresholds over
-- all markets (agg_scorecard_threshold_recommendations).
with

comparison as (
    select * from {{ ref('agg_scorecard_comparison') }}
),

recommendations as (
    select * from {{ ref('agg_scorecard_threshold_recommendations') }}
    where market = 'all'
),

best_f1 as (
    select * from recommendations
    where recommendation = 'best_f1'
),

capacity as (
    select * from recommendations
    where recommendation = 'sales_capacity'
),

final as (
    select
        comparison.scorecard_id,
        comparison.auc,
        comparison.top_decile_lift,
        comparison.mql_conversion_rate,
        comparison.backtest_lead_count,
        comparison.backtest_converted_count,
        comparison.current_mql_count,
        best_f1.threshold as best_f1_threshold,
        best_f1.f1 as best_f1,
        best_f1.expected_conversion_rate as best_f1_conversion_rate,
        best_f1.mqls_per_month as best_f1_mqls_per_month,
        capacity.threshold as capacity_threshold,
        capacity.expected_conversion_rate as capacity_conversion_rate,
        capacity.mqls_per_month as capacity_mqls_per_month,
        capacity.sales_capacity_per_month,
        comparison.is_champion
    from comparison
    left join best_f1
        on comparison.scorecard_id = best_f1.scorecard_id
    left join capacity
        on comparison.scorecard_id = capacity.scorecard_id
)

select * from final
