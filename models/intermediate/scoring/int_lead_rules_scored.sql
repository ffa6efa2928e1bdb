-- depends_on: {{ ref('scorecard_rules') }}
-- depends_on: {{ ref('scorecard_groups') }}
-- depends_on: {{ ref('scorecard_bands') }}
-- depends_on: {{ ref('scorecard_grades') }}
-- One row per lead and as-of date: the CASE-based score column of every rule
-- of every scorecard (written by the scorecard_rule_columns macro): the
-- rule's points before its cap when it applies to the lead, null when not.
{%- set scorecard = lead_scoring.get_scorecard() if execute else none %}
{%- set rule_columns = lead_scoring.scorecard_rule_columns(scorecard)
    if execute else [] %}
{%- set custom_attributes = scorecard['custom_attributes'] if execute else [] %}
{%- set activity_rule_list = [] %}
{%- if execute %}
    {%- for rule in scorecard['rules'] if rule['source'] == 'activity' %}
        {%- do activity_rule_list.append(rule) %}
    {%- endfor %}
{%- endif %}
{%- set lead_columns = [
    'lead_id', 'email', 'first_name', 'last_name', 'job_title', 'seniority',
    'department', 'company_name', 'company_domain', 'industry',
    'employee_count', 'annual_revenue', 'country', 'city', 'lead_source',
    'created_at', 'updated_at', 'is_deleted'
] %}
{%- set attribute_columns = [] %}
{%- for name in custom_attributes %}
    {%- do attribute_columns.append(
        'max(case when attribute_name = lower('
        ~ lead_scoring.string_literal(name)
        ~ ') then attribute_value end) as custom_attribute_' ~ loop.index
    ) %}
{%- endfor %}
{%- set fact_columns = [] %}
{#- numeric lead columns are tested on their raw text, so that a value that
    is not a number is not mistaken for a missing one -#}
{%- set text_columns = {
    'employee_count': 'employee_count_text',
    'annual_revenue': 'annual_revenue_text'
} %}
{%- for column in lead_columns %}
    {%- do fact_columns.append(
        lead_scoring.clean_text('leads.' ~ text_columns.get(column, column))
        ~ ' as lead_' ~ column
    ) %}
{%- endfor %}
{%- for name in custom_attributes %}
    {%- do fact_columns.append(
        'custom_attributes.custom_attribute_' ~ loop.index
    ) %}
{%- endfor %}
{%- for rule in activity_rule_list %}
    {%- do fact_columns.append('activity_rules.' ~ rule['key'] ~ '__n') %}
    {%- do fact_columns.append(
        'activity_rules.' ~ rule['key'] ~ '__'
        ~ ('decay_sum' if rule['frequency'] == 'each' else 'newest_age_days')
    ) %}
{%- endfor %}

with

leads as (
    select * from {{ ref('int_leads_as_of') }}
),

lead_attributes as (
    select * from {{ ref('int_lead_attributes_as_of') }}
),

activity_rules as (
    select * from {{ ref('int_lead_activity_rules_aggregated') }}
),

custom_attributes as (
    select
        {{ (['lead_id', 'score_date'] + attribute_columns) | join(',\n        ') }}
    from lead_attributes
    group by lead_id, score_date
),

lead_facts as (
    select
        {{ (['leads.lead_id', 'leads.score_date', 'leads.market'] + fact_columns)
            | join(',\n        ') }}
    from leads
    left join custom_attributes
        on
            leads.lead_id = custom_attributes.lead_id
            and leads.score_date = custom_attributes.score_date
    left join activity_rules
        on
            leads.lead_id = activity_rules.lead_id
            and leads.score_date = activity_rules.score_date
),

final as (
    select
        {{ (['lead_id', 'score_date'] + rule_columns) | join(',\n        ') }}
    from lead_facts
)

select * from final
