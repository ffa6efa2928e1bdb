-- One row per scorecard, market (`all` for every market) and kind of
-- recommendation: `best_f1`, the MQL threshold with the highest F1 in the
-- backtest (ties: the higher threshold, fewer MQLs for the same F1), and
-- `sales_capacity`, the lowest threshold whose MQLs per month stay within
-- the var backtest_sales_capacity (the most MQLs sales can work), each with
-- its expected conversion (precision), recall and MQLs per month. Segments
-- without any conversion in the backtest get no recommendation.
{%- set capacity = var('backtest_sales_capacity', 25) | string | trim %}
{%- if not modules.re.fullmatch('[0-9]+', capacity) %}
    {{ exceptions.raise_compiler_error(
        "var backtest_sales_capacity must be a whole number of MQLs per month, got '"
        ~ capacity ~ "'"
    ) }}
{%- endif %}
with

thresholds as (
    select * from {{ ref('agg_scorecard_thresholds') }}
),

ranked as (
    select
        *,
        row_number() over (
            partition by scorecard_id, market
            order by f1 desc, threshold desc
        ) as f1_rank,
        row_number() over (
            partition by scorecard_id, market
            order by
                case when mqls_per_month <= {{ capacity }} then 0 else 1 end asc,
                threshold asc
        ) as capacity_rank
    from thresholds
    -- a segment without conversions has nothing to recommend
    where converted_count > 0
),

recommendations as (
    select
        scorecard_id,
        market,
        'best_f1' as recommendation,
        threshold,
        precision,
        recall,
        f1,
        mqls_per_month,
        lead_count,
        converted_count
    from ranked
    where f1_rank = 1
    union all
    select
        scorecard_id,
        market,
        'sales_capacity' as recommendation,
        threshold,
        precision,
        recall,
        f1,
        mqls_per_month,
        lead_count,
        converted_count
    from ranked
    where capacity_rank = 1 and mqls_per_month <= {{ capacity }}
),

final as (
    select
        scorecard_id,
        market,
        recommendation,
        threshold,
        precision as expected_conversion_rate,
        recall,
        f1,
        mqls_per_month,
        {{ capacity }} as sales_capacity_per_month,
        lead_count,
        converted_count
    from recommendations
)

select * from final
