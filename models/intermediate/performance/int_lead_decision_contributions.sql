-- depends_on: {{ ref('scorecard_rules') }}
-- depends_on: {{ ref('scorecard_groups') }}
-- depends_on: {{ ref('scorecard_bands') }}
-- depends_on: {{ ref('scorecard_grades') }}
-- One row per lead with a version on its decision date, scorecard and rule
-- that applies to the lead that day: the rule's contribution computed point
-- in time from what was known on the decision date (int_leads_on_decision_date,
-- its custom attributes and activities), by the same scorecard macros as
-- the daily ledger (rule CASE columns, rule caps). The decision-date scores
-- (int_lead_decision_scores) and the rule diagnostics read it.
{%- set scorecard = lead_scoring.get_scorecard() if execute else none %}
{%- set aggregates = lead_scoring.scorecard_activity_aggregates(scorecard)
    if execute else [] %}
{%- set rule_columns = lead_scoring.scorecard_rule_columns(scorecard)
    if execute else [] %}
{%- set fact_columns = lead_scoring.scorecard_lead_facts(scorecard)
    if execute else [] %}
{%- set attribute_columns = lead_scoring.scorecard_custom_attribute_pivots(scorecard)
    if execute else [] %}

with

leads as (
    select * from {{ ref('int_leads_on_decision_date') }}
),

lead_attributes as (
    select * from {{ ref('int_lead_attributes_on_decision_date') }}
    where not is_recorded_after_decision
),

activities as (
    select * from {{ ref('int_lead_activities_before_decision') }}
),

activity_rules as (
    select
        {{ (['lead_id'] + aggregates) | join(',\n        ') }}
    from (
        select
            lead_id,
            activity_type,
            {{ lead_scoring.scorecard_activity_columns(renamed={'event_id': 'activity_id'}) }},
            age_days
        from activities
    ) as scored_activities
    group by lead_id
),

custom_attributes as (
    select
        {{ (['lead_id'] + attribute_columns) | join(',\n        ') }}
    from lead_attributes
    group by lead_id
),

lead_facts as (
    select
        {{ (['leads.lead_id', 'leads.decision_date as score_date', 'leads.market']
            + fact_columns) | join(',\n        ') }}
    from leads
    left join custom_attributes
        on leads.lead_id = custom_attributes.lead_id
    left join activity_rules
        on leads.lead_id = activity_rules.lead_id
),

rules_scored as (
    select
        {{ (['lead_id', 'score_date', 'market'] + rule_columns) | join(',\n        ') }}
    from lead_facts
),

contributions as (
    {%- if execute %}
        {{ lead_scoring.scorecard_rule_entries(scorecard, 'rules_scored') }}
    {%- else %}
    select * from rules_scored
    {%- endif %}
),

final as (
    select
        lead_id,
        scorecard_id,
        rule_id,
        dimension,
        score_group,
        rule_source,
        description,
        rule_points,
        activity_count,
        points_before_cap,
        contribution,
        score_date as decision_date
    from contributions
)

select * from final
