-- One row per lead (with a decision, int_lead_decisions) and feature: what
-- was known about the lead on its decision date, point in time, the
-- training table of fitted scorecards (scripts/lead_scoring/fit).
-- feature_source `lead`: a column of the lead version current on the
-- decision date (versions written later are invisible); `attribute`: a
-- custom attribute's value on the decision date (null when it was only
-- recorded later, flagged by is_recorded_after_decision, which the fit
-- reads as a likely leak); `activity`: the scored activities of a type
-- (optionally with one filter field and value) on or before the decision
-- date, counted in nested windows of 7, 30 and 90 days and in all. Text is cleaned and lower-cased as the scorecard compares it.
-- Personal data and identifiers are not features.
{#- the nested windows of the activity counts (the contract lists their columns) -#}
{%- set windows = [7, 30, 90] %}
{%- set lead_columns = [
    'job_title', 'seniority', 'department', 'industry', 'employee_count',
    'annual_revenue', 'country', 'city', 'lead_source'
] %}
{%- set text_columns = {
    'employee_count': 'employee_count_text',
    'annual_revenue': 'annual_revenue_text'
} %}
{%- set filter_fields = ['page_path', 'content_type', 'touch_type', 'outcome', 'stage'] %}
with

decisions as (
    select * from {{ ref('int_lead_decisions') }}
),

leads as (
    select * from {{ ref('int_leads_on_decision_date') }}
),

lead_attributes as (
    select * from {{ ref('int_lead_attributes_on_decision_date') }}
),

activities as (
    select * from {{ ref('int_lead_activities_before_decision') }}
),

lead_features as (
    {%- for column in lead_columns %}
    select
        lead_id,
        'lead' as feature_source,
        '{{ column }}' as feature_name,
        lower({{ lead_scoring.clean_text(text_columns.get(column, column)) }})
            as value_text,
        false as is_recorded_after_decision
    from leads
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

attribute_features as (
    select
        lead_id,
        'attribute' as feature_source,
        attribute_name as feature_name,
        lower({{ lead_scoring.clean_text('attribute_value') }}) as value_text,
        is_recorded_after_decision
    from lead_attributes
),

activity_filters as (
    select
        lead_id,
        activity_type,
        cast(null as {{ dbt.type_string() }}) as filter_field,
        cast(null as {{ dbt.type_string() }}) as filter_value,
        age_days
    from activities
    {%- for field in filter_fields %}
    union all
    select
        lead_id,
        activity_type,
        '{{ field }}' as filter_field,
        lower({{ lead_scoring.clean_text(field) }}) as filter_value,
        age_days
    from activities
    where {{ lead_scoring.clean_text(field) }} is not null
    {%- endfor %}
),

activity_features as (
    select
        lead_id,
        activity_type as feature_name,
        filter_field,
        filter_value,
        {%- for days in windows %}
        cast(sum(case when age_days <= {{ days | int }} then 1 else 0 end)
            as {{ dbt.type_bigint() }}) as activity_count_{{ days | int }}d,
        {%- endfor %}
        count(*) as activity_count_all
    from activity_filters
    group by lead_id, activity_type, filter_field, filter_value
),

unioned as (
    select
        lead_id,
        feature_source,
        feature_name,
        cast(null as {{ dbt.type_string() }}) as filter_field,
        cast(null as {{ dbt.type_string() }}) as filter_value,
        value_text,
        {%- for days in windows %}
        cast(null as {{ dbt.type_bigint() }}) as activity_count_{{ days | int }}d,
        {%- endfor %}
        cast(null as {{ dbt.type_bigint() }}) as activity_count_all,
        is_recorded_after_decision
    from lead_features
    union all
    select
        lead_id,
        feature_source,
        feature_name,
        cast(null as {{ dbt.type_string() }}) as filter_field,
        cast(null as {{ dbt.type_string() }}) as filter_value,
        value_text,
        {%- for days in windows %}
        cast(null as {{ dbt.type_bigint() }}) as activity_count_{{ days | int }}d,
        {%- endfor %}
        cast(null as {{ dbt.type_bigint() }}) as activity_count_all,
        is_recorded_after_decision
    from attribute_features
    union all
    select
        lead_id,
        'activity' as feature_source,
        feature_name,
        filter_field,
        filter_value,
        cast(null as {{ dbt.type_string() }}) as value_text,
        {%- for days in windows %}
        activity_count_{{ days | int }}d,
        {%- endfor %}
        activity_count_all,
        false as is_recorded_after_decision
    from activity_features
),

final as (
    select
        unioned.lead_id,
        unioned.feature_source,
        unioned.feature_name,
        unioned.filter_field,
        unioned.filter_value,
        decisions.decision_status,
        unioned.value_text,
        {%- for days in windows %}
        unioned.activity_count_{{ days | int }}d,
        {%- endfor %}
        unioned.activity_count_all,
        decisions.is_converted,
        unioned.is_recorded_after_decision,
        decisions.decision_date
    from unioned
    inner join decisions
        on unioned.lead_id = decisions.lead_id
)

select * from final
