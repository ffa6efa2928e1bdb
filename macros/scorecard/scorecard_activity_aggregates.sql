{% macro scorecard_activity_aggregates(scorecard, age_days='age_days', tests=none) %}
    {#-
        The aggregate columns of every activity rule, for a query grouped by
        lead over the activities up to the as-of date (SCORING_SPEC 3.3):
        `<rule key>__n` the number of matching activities; for `each` rules
        `<rule key>__decay_sum` the sum of decay(age_days); for `once` rules
        `<rule key>__newest_age_days` the age of the newest one. A matching
        activity has the rule's activity_type, passes its field test, and
        with window_days is at most that many days old.
        With `tests` (scorecard_activity_tests), the rows are day counts
        instead of activities (scorecard_activity_day_counts joined to the
        tests relation): a row matches a rule when its `test_index` is the
        rule's test, and weighs `activity_count` activities of one age.
    -#}
    {%- set test_index = {} -%}
    {%- for test in tests or [] -%}
        {%- do test_index.update({test['key']: test['index']}) -%}
    {%- endfor -%}
    {%- set columns = [] -%}
    {%- for rule in scorecard['rules'] if rule['source'] == 'activity' -%}
        {%- if tests is none -%}
            {%- set tests_sql = ['activity_type = ' ~ lead_scoring.string_literal(rule['activity_type'])] -%}
            {%- if rule['field'] -%}
                {%- do tests_sql.append('(' ~ lead_scoring.scorecard_condition(rule, rule['field']) ~ ')') -%}
            {%- endif -%}
            {%- set weight = '1' -%}
        {%- else -%}
            {%- set tests_sql = ['test_index = ' ~ test_index[lead_scoring.scorecard_activity_test_key(rule)]] -%}
            {%- set weight = 'activity_count' -%}
        {%- endif -%}
        {%- if rule['window_days'] is not none -%}
            {%- do tests_sql.append(age_days ~ ' <= ' ~ lead_scoring.sql_number(rule['window_days'])) -%}
        {%- endif -%}
        {%- set matches = tests_sql | join(' and ') -%}
        {%- do columns.append('cast(sum(case when ' ~ matches ~ ' then ' ~ weight ~ ' else 0 end) as bigint) as ' ~ rule['key'] ~ '__n') -%}
        {%- if rule['frequency'] == 'each' -%}
            {%- set decay = lead_scoring.scorecard_decay(rule, age_days) -%}
            {%- do columns.append('sum(case when ' ~ matches ~ ' then ' ~ (decay if tests is none else weight ~ ' * ' ~ decay) ~ ' else 0 end) as ' ~ rule['key'] ~ '__decay_sum') -%}
        {%- else -%}
            {%- do columns.append('min(case when ' ~ matches ~ ' then ' ~ age_days ~ ' end) as ' ~ rule['key'] ~ '__newest_age_days') -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(columns) }}
{% endmacro %}
