-- One row per scorecard and score bucket (kind `decile`: ten equal-sized
-- groups of backtest leads by score on their decision date, 1 = highest;
-- kind `band`: the band on the decision date): how many leads, how many
-- converted, the conversion rate and the lift over the scorecard's overall
-- rate. A calibrated scorecard converts more in higher buckets.
with

backtest as (
    select * from {{ ref('fct_scorecard_backtest_leads') }}
    where backtest_status = 'in backtest'
),

deciles as (
    select
        *,
        ntile(10) over (
            partition by scorecard_id
            order by total_score desc, lead_id asc
        ) as decile
    from backtest
),

overall as (
    select
        scorecard_id,
        avg(case when is_converted then 1.0 else 0.0 end) as overall_rate
    from backtest
    group by scorecard_id
),

buckets as (
    select
        scorecard_id,
        'decile' as bucket_kind,
        cast(decile as {{ dbt.type_string() }}) as bucket,
        cast(decile as {{ dbt.type_bigint() }}) as bucket_order,
        count(*) as lead_count,
        cast(sum(case when is_converted then 1 else 0 end) as {{ dbt.type_bigint() }})
            as converted_count,
        min(total_score) as min_score,
        max(total_score) as max_score
    from deciles
    group by scorecard_id, decile
    union all
    select
        scorecard_id,
        'band' as bucket_kind,
        band as bucket,
        -- highest band first, like the deciles
        cast(100 - band_rank as {{ dbt.type_bigint() }}) as bucket_order,
        count(*) as lead_count,
        cast(sum(case when is_converted then 1 else 0 end) as {{ dbt.type_bigint() }})
            as converted_count,
        min(total_score) as min_score,
        max(total_score) as max_score
    from backtest
    group by scorecard_id, band, band_rank
),

final as (
    select
        buckets.scorecard_id,
        buckets.bucket_kind,
        buckets.bucket,
        buckets.bucket_order,
        buckets.lead_count,
        buckets.converted_count,
        cast(buckets.converted_count as double) / buckets.lead_count as conversion_rate,
        case
            when overall.overall_rate > 0
                then
                    cast(buckets.converted_count as double)
                    / buckets.lead_count
                    / overall.overall_rate
        end as lift,
        buckets.min_score,
        buckets.max_score
    from buckets
    inner join overall
        on buckets.scorecard_id = overall.scorecard_id
)

select * from final
