-- depends_on: {{ ref('scorecard_rules') }}
-- depends_on: {{ ref('scorecard_groups') }}
-- depends_on: {{ ref('scorecard_bands') }}
-- depends_on: {{ ref('scorecard_grades') }}
-- One row per lead, as-of date, scorecard and rule that applies to the lead:
-- the score columns of int_lead_rules_scored unpivoted, with the rule's
-- max_points cap applied (scorecard_contribution_rows macro).
{%- set scorecard = lead_scoring.get_scorecard() if execute else none %}

with

rules_scored as (
    select * from {{ ref('int_lead_rules_scored') }}
),

contributions as (
    {%- if execute %}
        {{ lead_scoring.scorecard_contribution_rows(scorecard, 'rules_scored') }}
    {%- else %}
    select lead_id from rules_scored
    {%- endif %}
),

final as (
    select
        lead_id,
        score_date,
        scorecard_id,
        rule_id,
        dimension,
        score_group,
        rule_source,
        description,
        rule_points,
        activity_count,
        decay_factor,
        points_before_cap,
        contribution
    from contributions
)

select * from final
