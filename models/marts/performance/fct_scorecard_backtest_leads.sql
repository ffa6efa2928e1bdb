-- One row per current lead and scorecard: the lead's score on its decision
-- date and what happened next, the base of every backtest. The decision
-- date is the day sales would act on the lead: its creation date plus the
-- var backtest_decision_days. Its score is the one the score history holds
-- for that day (point in time when the history was back-filled), never
-- today's, so that the outcome cannot leak into the score being judged.
-- Converted: a deal that is won now was won after the decision date and
-- within backtest_outcome_days of it. backtest_status says why a lead is
-- not in the backtest (no score that day, already a customer, the outcome
-- window still open).
{%- set decision_days = var('backtest_decision_days', 14) | int %}
{%- set outcome_days = var('backtest_outcome_days', 180) | int %}
with

leads as (
    select * from {{ ref('int_leads_as_of') }}
    where score_date = {{ lead_scoring.score_as_of_date() }}
),

history as (
    select * from {{ ref('fct_lead_score_history') }}
),

current_scores as (
    select * from {{ ref('fct_lead_scores') }}
),

deal_milestones as (
    select * from {{ ref('int_lead_deal_milestones') }}
),

decisions as (
    select
        lead_id,
        market,
        lead_source,
        created_at,
        {{ dbt.dateadd('day', decision_days, 'cast(created_at as date)') }}
            as decision_date
    from leads
    where created_at is not null
),

lead_scorecards as (
    select
        decisions.*,
        current_scores.scorecard_id
    from decisions
    inner join current_scores
        on decisions.lead_id = current_scores.lead_id
),

joined as (
    select
        lead_scorecards.lead_id,
        lead_scorecards.scorecard_id,
        lead_scorecards.market,
        lead_scorecards.lead_source,
        history.band,
        history.grade,
        history.band_rank,
        history.total_score,
        history.fit_score,
        history.engagement_score,
        deal_milestones.customer_at,
        cast(lead_scorecards.decision_date as date) as decision_date,
        cast(deal_milestones.customer_at as date) as customer_date
    from lead_scorecards
    left join history
        on
            lead_scorecards.lead_id = history.lead_id
            and lead_scorecards.scorecard_id = history.scorecard_id
            and cast(lead_scorecards.decision_date as date) = history.score_date
    left join deal_milestones
        on lead_scorecards.lead_id = deal_milestones.lead_id
),

final as (
    select
        lead_id,
        scorecard_id,
        market,
        lead_source,
        band,
        grade,
        case
            when decision_date > {{ lead_scoring.score_as_of_date() }}
                then 'decision date not reached'
            when customer_date <= decision_date then 'customer before decision'
            when total_score is null then 'no score on decision date'
            when
                {{ dbt.dateadd('day', outcome_days, 'decision_date') }}
                > {{ lead_scoring.score_as_of_date() }}
                then 'outcome window open'
            else 'in backtest'
        end as backtest_status,
        band_rank,
        total_score,
        fit_score,
        engagement_score,
        coalesce(
            customer_date > decision_date
            and customer_date <= {{ dbt.dateadd('day', outcome_days, 'decision_date') }},
            false
        ) as is_converted,
        decision_date,
        cast({{ dbt.date_trunc('month', 'decision_date') }} as date) as decision_month,
        customer_at
    from joined
)

select * from final
