{% macro scorecard_groups_relation(scorecard) %}
    {#-
        Every score group of every scorecard with its dimension and caps, as
        literal rows (literal_relation): scorecard_id, score_group,
        dimension, min_points, max_points (null: no cap on that side). Groups
        without a row in scorecard_groups.csv are listed with no caps.
    -#}
    {%- set rows = [] -%}
    {%- for card in scorecard['scorecards'] -%}
        {%- for group in card['groups'] -%}
            {%- do rows.append([
                lead_scoring.string_literal(card['scorecard_id']),
                lead_scoring.string_literal(group['score_group']),
                lead_scoring.string_literal(group['dimension']),
                lead_scoring.sql_number(group['min_points']),
                lead_scoring.sql_number(group['max_points'])
            ]) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(lead_scoring.literal_relation(
        ['scorecard_id', 'score_group', 'dimension', 'min_points', 'max_points'], rows)) }}
{% endmacro %}
