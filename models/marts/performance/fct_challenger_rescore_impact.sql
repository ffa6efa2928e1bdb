-- depends_on: {{ ref('scorecard_rules') }}
-- depends_on: {{ ref('scorecard_groups') }}
-- depends_on: {{ ref('scorecard_bands') }}
-- depends_on: {{ ref('scorecard_grades') }}
-- One row per current lead and challenger scorecard where replacing the
-- champion (var champion_scorecard) by that challenger would change the
-- lead's band or its MQL status: both scores, bands and MQL flags, and the
-- score delta. The preview of a scorecard change before it goes live.
{%- set scorecard = lead_scoring.get_scorecard() if execute else none %}
{%- set mql_rank = lead_scoring.scorecard_mql_rank(scorecard) if execute else '1' %}
{%- set champion = lead_scoring.var_literal('champion_scorecard', 'default') %}
with

scores as (
    select
        *,
        band_rank >= {{ mql_rank }} as is_mql
    from {{ ref('fct_lead_scores') }}
),

champion as (
    select * from scores
    where scorecard_id = {{ champion }}
),

challengers as (
    select * from scores
    where scorecard_id <> {{ champion }}
),

compared as (
    select
        challengers.lead_id,
        challengers.scorecard_id as challenger_scorecard_id,
        champion.scorecard_id as champion_scorecard_id,
        champion.band as champion_band,
        challengers.band as challenger_band,
        champion.total_score as champion_total_score,
        challengers.total_score as challenger_total_score,
        cast(
            challengers.total_score - champion.total_score as decimal(18, 2)
        ) as score_delta,
        champion.is_mql as is_champion_mql,
        challengers.is_mql as is_challenger_mql
    from challengers
    inner join champion
        on challengers.lead_id = champion.lead_id
),

final as (
    select
        lead_id,
        challenger_scorecard_id,
        champion_scorecard_id,
        champion_band,
        challenger_band,
        case
            when is_challenger_mql and not is_champion_mql then 'becomes MQL'
            when is_champion_mql and not is_challenger_mql then 'no longer MQL'
            else 'same MQL status'
        end as mql_change,
        champion_total_score,
        challenger_total_score,
        score_delta,
        is_champion_mql,
        is_challenger_mql
    from compared
    where
        champion_band <> challenger_band
        or is_champion_mql <> is_challenger_mql
)

select * from final
