-- One row per current lead and scorecard: the lead's score on its decision
-- date and what happened next, the base of every backtest. The decision
-- date is the day sales would act on the lead: its creation date plus the
-- var backtest_decision_days. Its score is the one the score history holds
-- for that day (point in time when the history was back-filled), never
-- today's, so that the outcome cannot leak into the score being judged.
-- The decision date and the outcome come from int_lead_decisions.
-- backtest_status says why a lead is not in the backtest (no score that
-- day, already a customer, the outcome window still open).
with

decisions as (
    select * from {{ ref('int_lead_decisions') }}
),

history as (
    select * from {{ ref('fct_lead_score_history') }}
),

current_scores as (
    select * from {{ ref('fct_lead_scores') }}
),

joined as (
    select
        decisions.lead_id,
        current_scores.scorecard_id,
        decisions.market,
        decisions.lead_source,
        decisions.decision_status,
        history.band,
        history.grade,
        history.band_rank,
        history.total_score,
        history.fit_score,
        history.engagement_score,
        decisions.is_converted,
        decisions.decision_date,
        decisions.decision_month,
        decisions.customer_at
    from decisions
    inner join current_scores
        on decisions.lead_id = current_scores.lead_id
    left join history
        on
            decisions.lead_id = history.lead_id
            and current_scores.scorecard_id = history.scorecard_id
            and decisions.decision_date = history.score_date
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
            when
                decision_status in (
                    'decision date not reached', 'customer before decision'
                )
                then decision_status
            when total_score is null then 'no score on decision date'
            when decision_status = 'outcome window open' then decision_status
            else 'in backtest'
        end as backtest_status,
        band_rank,
        total_score,
        fit_score,
        engagement_score,
        is_converted,
        decision_date,
        decision_month,
        customer_at
    from joined
)

select * from final
