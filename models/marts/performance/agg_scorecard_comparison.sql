-- depends_on: {{ ref('scorecard_rules') }}
-- depends_on: {{ ref('scorecard_groups') }}
-- depends_on: {{ ref('scorecard_bands') }}
-- depends_on: {{ ref('scorecard_grades') }}
-- One row per scorecard: champion and challengers side by side. From the
-- backtest: leads and conversions, AUC (the probability that a converting
-- lead outscored a non-converting one on its decision date, ties counting
-- half: rank-based, Mann-Whitney), lift of the top decile, and the
-- conversion rate of the leads that were MQL (var mql_bands) on their
-- decision date. From today's scores: how many leads are MQL now. The
-- champion is the var champion_scorecard.
{%- set scorecard = lead_scoring.get_scorecard() if execute else none %}
{%- set mql_rank = lead_scoring.scorecard_mql_rank(scorecard) if execute else '1' %}
with

backtest as (
    select * from {{ ref('fct_scorecard_backtest_leads') }}
    where backtest_status = 'in backtest'
),

calibration as (
    select * from {{ ref('agg_scorecard_calibration') }}
    where bucket_kind = 'decile' and bucket = '1'
),

current_scores as (
    select * from {{ ref('fct_lead_scores') }}
),

ranked as (
    -- average rank of the score (ties share the mean of their ranks)
    select
        scorecard_id,
        is_converted,
        band_rank,
        rank() over (partition by scorecard_id order by total_score asc)
        + (count(*) over (partition by scorecard_id, total_score) - 1) / 2.0
            as score_rank
    from backtest
),

auc_parts as (
    select
        scorecard_id,
        count(*) as lead_count,
        cast(sum(case when is_converted then 1 else 0 end) as {{ dbt.type_bigint() }})
            as converted_count,
        sum(case when is_converted then score_rank else 0 end) as converted_rank_sum,
        cast(
            sum(case when band_rank >= {{ mql_rank }} then 1 else 0 end) as {{ dbt.type_bigint() }}
        ) as mql_count,
        cast(sum(
            case when band_rank >= {{ mql_rank }} and is_converted then 1 else 0 end
        ) as {{ dbt.type_bigint() }}) as mql_converted_count
    from ranked
    group by scorecard_id
),

current_mqls as (
    select
        scorecard_id,
        count(*) as current_lead_count,
        cast(
            sum(case when band_rank >= {{ mql_rank }} then 1 else 0 end) as {{ dbt.type_bigint() }}
        ) as current_mql_count
    from current_scores
    group by scorecard_id
),

final as (
    select
        current_mqls.scorecard_id,
        current_mqls.scorecard_id
        = {{ lead_scoring.var_literal('champion_scorecard', 'default') }} as is_champion,
        coalesce(auc_parts.lead_count, 0) as backtest_lead_count,
        coalesce(auc_parts.converted_count, 0) as backtest_converted_count,
        case
            when
                auc_parts.converted_count > 0
                and auc_parts.converted_count < auc_parts.lead_count
                then (
                    cast(auc_parts.converted_rank_sum as double)
                    - cast(auc_parts.converted_count as double)
                    * (auc_parts.converted_count + 1) / 2
                ) / (
                    cast(auc_parts.converted_count as double)
                    * (auc_parts.lead_count - auc_parts.converted_count)
                )
        end as auc,
        calibration.lift as top_decile_lift,
        coalesce(auc_parts.mql_count, 0) as backtest_mql_count,
        case
            when auc_parts.mql_count > 0
                then cast(auc_parts.mql_converted_count as double) / auc_parts.mql_count
        end as mql_conversion_rate,
        current_mqls.current_lead_count,
        current_mqls.current_mql_count
    from current_mqls
    left join auc_parts
        on current_mqls.scorecard_id = auc_parts.scorecard_id
    left join calibration
        on current_mqls.scorecard_id = calibration.scorecard_id
)

select * from final
