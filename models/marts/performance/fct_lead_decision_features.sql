-- One row per lead (with a decision, int_lead_decisions) and feature: what
-- was known about the lead on its decision date, point in time, the
-- training table of fitted scorecards (scripts/lead_scoring/fit).
-- feature_source `lead`: a column of the lead version current on the
-- decision date (versions written later are invisible); `attribute`: a
-- custom attribute's value on the decision date (null when it was only
-- recorded later, flagged by is_recorded_after_decision, which the fit
-- reads as a likely leak); `activity`: the scored activities of a type
-- (optionally with one filter field and value) on or before the decision
-- date, counted in nested windows of the var fit_activity_windows days and
-- in all. Text is cleaned and lower-cased as the scorecard compares it.
-- Personal data and identifiers are not features.
{%- set windows = var('fit_activity_windows', [7, 30, 90]) %}
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

lead_versions as (
    select * from {{ ref('stg_crm__leads') }}
    where is_usable
),

lead_attributes as (
    select * from {{ ref('int_lead_attributes_validated') }}
    where is_usable
),

activities as (
    select * from {{ ref('int_activities_consented') }}
    where is_scored
),

versions_ranked as (
    select
        lead_versions.*,
        row_number() over (
            partition by lead_versions.lead_id
            order by
                lead_versions.updated_at desc nulls last,
                lead_versions.source_row_number desc
        ) as version_rank
    from lead_versions
    inner join decisions
        on lead_versions.lead_id = decisions.lead_id
    where
        coalesce(lead_versions.updated_at, lead_versions.created_at) is null
        or cast(coalesce(lead_versions.updated_at, lead_versions.created_at) as date)
        <= decisions.decision_date
),

lead_on_decision_date as (
    select * from versions_ranked
    where version_rank = 1
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
    from lead_on_decision_date
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

attributes_ranked as (
    select
        lead_attributes.lead_id,
        lead_attributes.attribute_name,
        lead_attributes.attribute_value,
        lead_attributes.updated_at is null
        or cast(lead_attributes.updated_at as date)
        <= decisions.decision_date as is_known_on_decision_date,
        row_number() over (
            partition by lead_attributes.lead_id, lead_attributes.attribute_name
            order by
                case
                    when
                        lead_attributes.updated_at is null
                        or cast(lead_attributes.updated_at as date)
                        <= decisions.decision_date
                        then 0
                    else 1
                end asc,
                lead_attributes.updated_at desc nulls last,
                lead_attributes.source_row_number desc
        ) as version_rank
    from lead_attributes
    inner join decisions
        on lead_attributes.lead_id = decisions.lead_id
),

attribute_features as (
    select
        lead_id,
        'attribute' as feature_source,
        attribute_name as feature_name,
        case
            when is_known_on_decision_date
                then lower({{ lead_scoring.clean_text('attribute_value') }})
        end as value_text,
        not is_known_on_decision_date as is_recorded_after_decision
    from attributes_ranked
    where version_rank = 1
),

activities_before_decision as (
    select
        activities.*,
        {{ dbt.datediff('activities.activity_date', 'decisions.decision_date', 'day') }}
            as age_days
    from activities
    inner join decisions
        on
            activities.lead_id = decisions.lead_id
            and activities.activity_date <= decisions.decision_date
),

activity_filters as (
    select
        lead_id,
        activity_type,
        cast(null as {{ dbt.type_string() }}) as filter_field,
        cast(null as {{ dbt.type_string() }}) as filter_value,
        age_days
    from activities_before_decision
    {%- for field in filter_fields %}
    union all
    select
        lead_id,
        activity_type,
        '{{ field }}' as filter_field,
        lower({{ lead_scoring.clean_text(field) }}) as filter_value,
        age_days
    from activities_before_decision
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
