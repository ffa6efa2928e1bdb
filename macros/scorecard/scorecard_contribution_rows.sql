{% macro scorecard_contribution_rows(scorecard, relation) %}
    {#-
        Turns the wide CASE score columns of `relation` (one row per lead and
        as-of date, see scorecard_rule_columns) into one row per lead, date
        and applied rule:
        the rule's identity and explanation, the matching activity count and
        decay, the points before the cap and the contribution after the
        rule's max_points cap (SCORING_SPEC 3.4). A `union all` of one
        select per rule, which every engine runs the same way.
    -#}
    {%- set selects = [] -%}
    {%- for rule in scorecard['rules'] -%}
        {%- set key = rule['key'] -%}
        {%- set before_cap = key ~ '__points' -%}
        {%- if rule['max_points'] is none -%}
            {%- set contribution = before_cap -%}
        {%- else -%}
            {%- set cap = lead_scoring.sql_number(rule['max_points']) -%}
            {%- set contribution = 'case when abs(' ~ before_cap ~ ') > ' ~ cap ~ ' then sign(' ~ before_cap ~ ') * ' ~ cap ~ ' else ' ~ before_cap ~ ' end' -%}
        {%- endif -%}
        {%- set is_activity = rule['source'] == 'activity' -%}
        {%- do selects.append(
            'select lead_id, score_date, '
            ~ lead_scoring.string_literal(rule['scorecard_id']) ~ ' as scorecard_id, '
            ~ lead_scoring.string_literal(rule['rule_id']) ~ ' as rule_id, '
            ~ lead_scoring.string_literal(rule['dimension']) ~ ' as dimension, '
            ~ lead_scoring.string_literal(rule['score_group']) ~ ' as score_group, '
            ~ lead_scoring.string_literal(rule['source']) ~ ' as rule_source, '
            ~ lead_scoring.string_literal(rule['description']) ~ ' as description, '
            ~ lead_scoring.sql_number(rule['points']) ~ ' as rule_points, '
            ~ (key ~ '__n' if is_activity else 'cast(null as bigint)') ~ ' as activity_count, '
            ~ (key ~ '__decay' if is_activity else 'cast(1 as double)') ~ ' as decay_factor, '
            ~ before_cap ~ ' as points_before_cap, '
            ~ contribution ~ ' as contribution '
            ~ 'from ' ~ relation ~ ' where ' ~ before_cap ~ ' is not null'
        ) -%}
    {%- endfor -%}
    {{ return(selects | join('\n    union all\n    ')) }}
{% endmacro %}
