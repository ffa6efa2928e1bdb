{% macro scorecard_activity_tests_relation(tests) %}
    {#-
        The activity tests (scorecard_activity_tests) as a relation:
        `test_index`, `rule_test` (the key) and `test_activity_type`, literal
        rows (literal_relation); one row that matches nothing (test_index 0)
        when there are no tests.
    -#}
    {%- set rows = [] -%}
    {%- for test in tests -%}
        {%- do rows.append([
            test['index'],
            lead_scoring.string_literal(test['key']),
            lead_scoring.string_literal(test['activity_type'])
        ]) -%}
    {%- else -%}
        {%- do rows.append([
            0,
            'cast(null as ' ~ dbt.type_string() ~ ')',
            'cast(null as ' ~ dbt.type_string() ~ ')'
        ]) -%}
    {%- endfor -%}
    {{ return(lead_scoring.literal_relation(
        ['test_index', 'rule_test', 'test_activity_type'], rows)) }}
{% endmacro %}

{% macro scorecard_activity_day_counts(tests, activities, since=none) %}
    {#-
        Per lead, activity test and activity date, how many activities of
        `activities` (a relation or CTE with lead_id, activity_date,
        activity_type and the properties the tests read) pass the test:
        columns lead_id, rule_test, activity_date, activity_count. Each
        activity is paired only with the tests of its activity_type (a join
        on the type), then each pair's field test is a CASE branch.
        `since`: {test key: SQL timestamp}, to count for a test only the
        activities whose `staged_at` is after it (int_lead_activity_days
        catching up); a test missing from it counts every activity.
    -#}
    {%- set since = since or {} -%}
    select
        activities.lead_id,
        tests.rule_test,
        activities.activity_date,
        cast(count(*) as bigint) as activity_count
    from {{ activities }} as activities
    inner join (
        {{ lead_scoring.scorecard_activity_tests_relation(tests) }}
    ) as tests
        on activities.activity_type = tests.test_activity_type
    where
        {%- if tests | length > 0 %}
        case tests.test_index
            {%- for test in tests %}
            when {{ test['index'] }} then {{ test['condition'] }}
            {%- if since.get(test['key']) is not none %}
                and activities.staged_at > {{ since[test['key']] }}
            {%- endif %}
            {%- endfor %}
        end
        {%- else %}
        false
        {%- endif %}
    group by activities.lead_id, tests.rule_test, activities.activity_date
{% endmacro %}
