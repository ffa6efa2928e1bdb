{% macro scorecard_groups_relation(scorecard) %}
    {#-
        Every score group of every scorecard with its dimension and caps, as
        a `union all` of literal rows: scorecard_id, score_group, dimension,
        min_points, max_points (null: no cap on that side). Groups without a
        row in scorecard_groups.csv are listed with no caps.
    -#}
    {%- set selects = [] -%}
    {%- for card in scorecard['scorecards'] -%}
        {%- for group in card['groups'] -%}
            {%- do selects.append(
                'select '
                ~ lead_scoring.string_literal(card['scorecard_id']) ~ ' as scorecard_id, '
                ~ lead_scoring.string_literal(group['score_group']) ~ ' as score_group, '
                ~ lead_scoring.string_literal(group['dimension']) ~ ' as dimension, '
                ~ lead_scoring.sql_number(group['min_points']) ~ ' as min_points, '
                ~ lead_scoring.sql_number(group['max_points']) ~ ' as max_points'
            ) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(selects | join('\n    union all\n    ')) }}
{% endmacro %}
