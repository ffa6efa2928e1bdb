-- One row per current lead with a creation date: its decision date (the day
-- sales would act on it: creation date plus the var backtest_decision_days)
-- and what happened next. Converted: a deal that is won now was won after
-- the decision date and within backtest_outcome_days of it.
-- decision_status says whether the outcome is known: `decided`, or
-- `decision date not reached`, `customer before decision` (won on or
-- before the decision date), `outcome window open` (the window ends after
-- the as-of date). The backtests and the fitted scorecards
-- (fct_lead_decision_features) read the decision and the outcome here.
{%- set decision_days = var('backtest_decision_days', 14) | int %}
{%- set outcome_days = var('backtest_outcome_days', 180) | int %}
{%- set as_of = lead_scoring.score_as_of_date() %}
with

leads as (
    select * from {{ ref('int_leads_as_of') }}
    where score_date = {{ as_of }}
),

deal_milestones as (
    select * from {{ ref('int_lead_deal_milestones') }}
),

decisions as (
    select
        leads.lead_id,
        leads.market,
        leads.lead_source,
        leads.created_at,
        deal_milestones.customer_at,
        cast(
            {{ dbt.dateadd('day', decision_days, 'cast(leads.created_at as date)') }}
            as date
        ) as decision_date,
        cast(deal_milestones.customer_at as date) as customer_date
    from leads
    left join deal_milestones
        on leads.lead_id = deal_milestones.lead_id
    where leads.created_at is not null
),

final as (
    select
        lead_id,
        market,
        lead_source,
        case
            when decision_date > {{ as_of }} then 'decision date not reached'
            when customer_date <= decision_date then 'customer before decision'
            when
                {{ dbt.dateadd('day', outcome_days, 'decision_date') }} > {{ as_of }}
                then 'outcome window open'
            else 'decided'
        end as decision_status,
        coalesce(
            customer_date > decision_date
            and customer_date
            <= {{ dbt.dateadd('day', outcome_days, 'decision_date') }},
            false
        ) as is_converted,
        decision_date,
        cast({{ dbt.date_trunc('month', 'decision_date') }} as date)
            as decision_month,
        created_at,
        customer_at
    from decisions
)

select * from final
