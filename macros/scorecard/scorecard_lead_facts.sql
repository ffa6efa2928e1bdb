{% macro scorecard_lead_facts(scorecard) %}
    {#-
        The columns the CASE score columns (scorecard_rule_columns) test, one
        definition for the daily ledger and the decision-date scoring: each
        lead column as cleaned text, `lead_<column>` (numeric columns from
        their raw text, so that a value that is not a number is not
        mistaken for a missing one); each custom attribute,
        `custom_attribute_<n>`; for each activity rule its count and its
        decay input. They read the aliases `leads`, `custom_attributes`
        (scorecard_custom_attribute_pivots, grouped per lead) and
        `activity_rules` (scorecard_activity_aggregates).
    -#}
    {%- set text_columns = {
        'employee_count': 'employee_count_text',
        'annual_revenue': 'annual_revenue_text'
    } -%}
    {%- set columns = [] -%}
    {%- for column in lead_scoring.scorecard_fields()['lead_columns'] -%}
        {%- do columns.append(
            lead_scoring.clean_text('leads.' ~ text_columns.get(column, column))
            ~ ' as lead_' ~ column
        ) -%}
    {%- endfor -%}
    {%- for name in scorecard['custom_attributes'] -%}
        {%- do columns.append('custom_attributes.custom_attribute_' ~ loop.index) -%}
    {%- endfor -%}
    {%- for rule in scorecard['rules'] if rule['source'] == 'activity' -%}
        {%- do columns.append('activity_rules.' ~ rule['key'] ~ '__n') -%}
        {%- do columns.append('activity_rules.' ~ rule['key'] ~ '__'
            ~ ('decay_sum' if rule['frequency'] == 'each' else 'newest_age_days')) -%}
    {%- endfor -%}
    {{ return(columns) }}
{% endmacro %}

{% macro scorecard_custom_attribute_pivots(scorecard) %}
    {#-
        One column per custom attribute the scorecard tests,
        `custom_attribute_<n>`: the attribute's value in a group of
        attribute rows (attribute_name, attribute_value) of one lead.
    -#}
    {%- set columns = [] -%}
    {%- for name in scorecard['custom_attributes'] -%}
        {%- do columns.append(
            'max(case when attribute_name = lower('
            ~ lead_scoring.string_literal(name)
            ~ ') then attribute_value end) as custom_attribute_' ~ loop.index
        ) -%}
    {%- endfor -%}
    {{ return(columns) }}
{% endmacro %}
