-- One row per funnel stage: the current leads whose furthest stage it is,
-- and those at or past it (fct_lead_funnel). Every stage has a row, also
-- when no lead is there.
with

funnel as (
    select * from {{ ref('fct_lead_funnel') }}
),

stages as (
    select 'lead' as funnel_stage, 1 as funnel_stage_rank
    union all
    select 'mql' as funnel_stage, 2 as funnel_stage_rank
    union all
    select 'sql' as funnel_stage, 3 as funnel_stage_rank
    union all
    select 'customer' as funnel_stage, 4 as funnel_stage_rank
),

totals as (
    select count(*) as total_leads from funnel
),

counted as (
    select
        stages.funnel_stage,
        stages.funnel_stage_rank,
        sum(case when funnel.funnel_stage_rank = stages.funnel_stage_rank then 1 else 0 end)
            as lead_count,
        sum(case when funnel.funnel_stage_rank >= stages.funnel_stage_rank then 1 else 0 end)
            as at_or_past_count,
        sum(
            case
                when
                    funnel.funnel_stage_rank = stages.funnel_stage_rank
                    and funnel.has_out_of_order_stages
                    then 1
                else 0
            end
        ) as out_of_order_count
    from stages
    cross join funnel
    group by stages.funnel_stage, stages.funnel_stage_rank
),

final as (
    select
        stages.funnel_stage,
        cast(stages.funnel_stage_rank as int) as funnel_stage_rank,
        cast(coalesce(counted.lead_count, 0) as bigint) as lead_count,
        cast(coalesce(counted.at_or_past_count, 0) as bigint) as at_or_past_count,
        cast(coalesce(counted.out_of_order_count, 0) as bigint) as out_of_order_count,
        cast(
            case
                when totals.total_leads > 0
                    then coalesce(counted.at_or_past_count, 0) * 1.0 / totals.total_leads
                else 0
            end as double
        ) as at_or_past_share
    from stages
    cross join totals
    left join counted
        on stages.funnel_stage = counted.funnel_stage
)

select * from final
