-- One row per scorecard per band that holds leads: how many leads, their
-- share of the scorecard's leads and their score range, for BI tools.
with

scores as (
    select * from {{ ref('fct_lead_scores') }}
),

per_band as (
    select
        scorecard_id,
        band,
        band_rank,
        count(*) as lead_count,
        avg(total_score) as average_total_score,
        min(total_score) as min_total_score,
        max(total_score) as max_total_score,
        max(score_as_of) as score_as_of
    from scores
    group by scorecard_id, band, band_rank
),

final as (
    select
        scorecard_id,
        band,
        band_rank,
        lead_count,
        cast(lead_count as double)
        / sum(lead_count) over (partition by scorecard_id) as lead_share,
        cast(average_total_score as decimal(18, 2)) as average_total_score,
        min_total_score,
        max_total_score,
        score_as_of
    from per_band
)

select * from final
