-- One row per current lead and scorecard: the lead's score on its decision
-- date and what happened next, the base of every backtest. The decision
-- date is the day sales would act on the lead: its creation date plus the
-- var backtest_decision_days. Its score is the one the score history holds
-- for that day (point in time when the history was back-filled), never
-- today's, so that the outcome cannot leak into the score being judged.
-- Without a history row that day (a scorecard added after the history
-- began), the score computed point in time for the decision date
-- (int_lead_decision_scores): a new scorecard is backtested on its first
-- run.
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

decision_scores as (
    select * from {{ ref('int_lead_decision_scores') }}
),

joined as (
    select
        decisions.lead_id,
        current_scores.scorecard_id,
        decisions.market,
        decisions.lead_source,
        decisions.decision_status,
        case
            when history.total_score is not null then 'history'
            when decision_scores.total_score is not null then 'point in time'
        end as score_source,
        coalesce(history.band, decision_scores.band) as band,
        case
            when history.total_score is not null then history.grade
            else decision_scores.grade
        end as grade,
        coalesce(history.band_rank, decision_scores.band_rank) as band_rank,
        coalesce(history.total_score, decision_scores.total_score) as total_score,
        coalesce(history.fit_score, decision_scores.fit_score) as fit_score,
        coalesce(history.engagement_score, decision_scores.engagement_score)
            as engagement_score,
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
    left join decision_scores
        on
            decisions.lead_id = decision_scores.lead_id
            and current_scores.scorecard_id = decision_scores.scorecard_id
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
        score_source,
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
