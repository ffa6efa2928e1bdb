-- depends_on: {{ ref('scorecard_rules') }}
-- depends_on: {{ ref('scorecard_groups') }}
-- depends_on: {{ ref('scorecard_bands') }}
-- depends_on: {{ ref('scorecard_grades') }}
-- One row per current lead, scorecard and band change: each day on which a
-- lead enters a band (its first scored day included) or moves to another,
-- with the band and score before and after, derived from the score history.
-- Leads deleted since, or excluded from the scorecard, are left out.
{%- set scorecard = lead_scoring.get_scorecard() if execute else none %}
{%- set mql_band_rank = lead_scoring.scorecard_mql_rank(scorecard) if execute else '1' %}

with

history as (
    select * from {{ ref('fct_lead_score_history') }}
),

current_scores as (
    select * from {{ ref('fct_lead_scores') }}
),

current_history as (
    select history.*
    from history
    inner join current_scores
        on
            history.lead_id = current_scores.lead_id
            and history.scorecard_id = current_scores.scorecard_id
),

with_previous as (
    select
        *,
        lag(band) over (
            partition by lead_id, scorecard_id order by score_date
        ) as previous_band,
        lag(band_rank) over (
            partition by lead_id, scorecard_id order by score_date
        ) as previous_band_rank,
        lag(total_score) over (
            partition by lead_id, scorecard_id order by score_date
        ) as previous_total_score,
        lag(score_date) over (
            partition by lead_id, scorecard_id order by score_date
        ) as previous_score_date
    from current_history
),

final as (
    select
        lead_id,
        scorecard_id,
        previous_band as from_band,
        band as to_band,
        case
            when previous_band is null then 'entered'
            when band_rank > previous_band_rank then 'up'
            else 'down'
        end as direction,
        previous_total_score as score_before,
        total_score as score_after,
        previous_band_rank as from_band_rank,
        band_rank as to_band_rank,
        {{ mql_band_rank }} as mql_band_rank,
        previous_score_date,
        score_date as changed_on
    from with_previous
    where previous_band is null or band <> previous_band
)

select * from final
