{% macro scorecard_rule_columns(scorecard) %}
    {#-
        The CASE-based score columns: for every rule of every scorecard,
        `<rule key>__points`, the rule's points before its max_points cap
        when the rule applies to the lead and null when it does not
        (SCORING_SPEC 3.2 to 3.5). Activity rules also give `<rule key>__n`
        (matching activities) and `<rule key>__decay` (the decay factor
        applied: the mean over the activities for `each`, the newest one's
        for `once`, 1 when none).
        Expects a relation with one row per lead and date holding: `market`; every
        lead column as cleaned text named `lead_<column>`; custom attributes
        as `custom_attribute_<n>`; the columns of
        scorecard_activity_aggregates.
    -#}
    {%- set columns = [] -%}
    {%- for rule in scorecard['rules'] -%}
        {%- set key = rule['key'] -%}
        {%- set conditions = [] -%}
        {%- if rule['market'] is not none -%}
            {%- do conditions.append('market = lower(' ~ lead_scoring.string_literal(rule['market']) ~ ')') -%}
        {%- endif -%}
        {%- if rule['source'] == 'lead' -%}
            {%- if rule['is_custom_attribute'] -%}
                {%- set attribute = 'custom_attribute_' ~ rule['custom_attribute_index'] -%}
            {%- else -%}
                {%- set attribute = 'lead_' ~ rule['field'] -%}
            {%- endif -%}
            {%- do conditions.append('(' ~ lead_scoring.scorecard_condition(rule, attribute) ~ ')') -%}
            {%- set points = lead_scoring.sql_number(rule['points']) -%}
        {%- else -%}
            {%- set n = 'coalesce(' ~ key ~ '__n, 0)' -%}
            {%- do conditions.append(n ~ ' >= ' ~ rule['min_count']) -%}
            {%- if rule['max_count'] is not none -%}
                {%- do conditions.append(n ~ ' <= ' ~ rule['max_count']) -%}
            {%- endif -%}
            {%- if rule['frequency'] == 'each' -%}
                {%- set points = lead_scoring.sql_number(rule['points']) ~ ' * coalesce(' ~ key ~ '__decay_sum, 0)' -%}
                {%- set decay = 'case when ' ~ n ~ ' > 0 then ' ~ key ~ '__decay_sum / ' ~ n ~ ' else cast(1 as double) end' -%}
            {%- else -%}
                {%- set newest_decay = lead_scoring.scorecard_decay(rule, key ~ '__newest_age_days') -%}
                {%- set points = 'case when ' ~ n ~ ' = 0 then ' ~ lead_scoring.sql_number(rule['points']) ~ ' else ' ~ lead_scoring.sql_number(rule['points']) ~ ' * ' ~ newest_decay ~ ' end' -%}
                {%- set decay = 'case when ' ~ n ~ ' > 0 then ' ~ newest_decay ~ ' else cast(1 as double) end' -%}
            {%- endif -%}
            {%- do columns.append(n ~ ' as ' ~ key ~ '__n') -%}
            {%- do columns.append(decay ~ ' as ' ~ key ~ '__decay') -%}
        {%- endif -%}
        {%- do columns.append(
            'case when ' ~ conditions | join(' and ') ~ ' then ' ~ points
            ~ ' end as ' ~ key ~ '__points'
        ) -%}
    {%- endfor -%}
    {{ return(columns) }}
{% endmacro %}
