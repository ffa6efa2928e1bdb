{% macro scorecard_activity_aggregates(scorecard, age_days='age_days') %}
    {#-
        The aggregate columns of every activity rule, for a query grouped by
        lead over the activities up to the as-of date (SCORING_SPEC 3.3):
        `<rule key>__n` the number of matching activities; for `each` rules
        `<rule key>__decay_sum` the sum of decay(age_days); for `once` rules
        `<rule key>__newest_age_days` the age of the newest one. A matching
        activity has the rule's activity_type, passes its field test, and
        with window_days is at most that many days old.
    -#}
    {%- set columns = [] -%}
    {%- for rule in scorecard['rules'] if rule['source'] == 'activity' -%}
        {%- set tests = ['activity_type = ' ~ lead_scoring.string_literal(rule['activity_type'])] -%}
        {%- if rule['field'] -%}
            {%- do tests.append('(' ~ lead_scoring.scorecard_condition(rule, rule['field']) ~ ')') -%}
        {%- endif -%}
        {%- if rule['window_days'] is not none -%}
            {%- do tests.append(age_days ~ ' <= ' ~ lead_scoring.sql_number(rule['window_days'])) -%}
        {%- endif -%}
        {%- set matches = tests | join(' and ') -%}
        {%- do columns.append('cast(sum(case when ' ~ matches ~ ' then 1 else 0 end) as bigint) as ' ~ rule['key'] ~ '__n') -%}
        {%- if rule['frequency'] == 'each' -%}
            {%- do columns.append('sum(case when ' ~ matches ~ ' then ' ~ lead_scoring.scorecard_decay(rule, age_days) ~ ' else 0 end) as ' ~ rule['key'] ~ '__decay_sum') -%}
        {%- else -%}
            {%- do columns.append('min(case when ' ~ matches ~ ' then ' ~ age_days ~ ' end) as ' ~ rule['key'] ~ '__newest_age_days') -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(columns) }}
{% endmacro %}
