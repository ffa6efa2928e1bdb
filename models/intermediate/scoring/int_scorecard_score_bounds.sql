-- depends_on: {{ ref('scorecard_rules') }}
-- depends_on: {{ ref('scorecard_groups') }}
-- depends_on: {{ ref('scorecard_bands') }}
-- depends_on: {{ ref('scorecard_grades') }}
-- One row per scorecard: the lowest and highest fit and engagement scores
-- its rules and group caps allow (null: unbounded on that side). Audits
-- check every published score against them.
{%- set scorecard = lead_scoring.get_scorecard() if execute else none %}

with

bounds as (
    {%- if execute %}
        {{ lead_scoring.scorecard_score_bounds(scorecard) }}
    {%- else %}
    select
        'scorecard' as scorecard_id,
        cast(null as double) as min_fit_score,
        cast(null as double) as max_fit_score,
        cast(null as double) as min_engagement_score,
        cast(null as double) as max_engagement_score
    {%- endif %}
)

select * from bounds
