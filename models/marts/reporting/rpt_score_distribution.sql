-- One row per scorecard per 10-point bin of today's total score that holds
-- leads: how many current leads score in it (fct_lead_scores).
with

scores as (
    select * from {{ ref('fct_lead_scores') }}
),

binned as (
    select
        scorecard_id,
        cast(floor(total_score / 10) * 10 as int) as score_bin
    from scores
),

final as (
    select
        scorecard_id,
        score_bin,
        cast(count(*) as bigint) as lead_count
    from binned
    group by scorecard_id, score_bin
)

select * from final
