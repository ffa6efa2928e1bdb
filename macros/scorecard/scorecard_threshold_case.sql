{% macro scorecard_threshold_case(scorecard, kind, score, output='name') %}
    {#-
        The band (kind='bands', on the total score) or grade (kind='grades',
        on the fit score) of each row as a CASE over scorecard_id: the entry
        with the highest threshold not above `score` (SCORING_SPEC 3.8).
        output='rank' gives the entry's rank instead (1 = the lowest), for
        ordering bands. A scorecard without grades gives null.
    -#}
    {%- set branches = [] -%}
    {%- for card in scorecard['scorecards'] if card[kind] | length > 0 -%}
        {%- set steps = [] -%}
        {%- for entry in card[kind] | reverse -%}
            {%- set result = lead_scoring.string_literal(entry['name']) if output == 'name' else (card[kind] | length - loop.index0) -%}
            {%- if entry['threshold'] is none -%}
                {%- do steps.append('else ' ~ result) -%}
            {%- else -%}
                {%- do steps.append('when ' ~ score ~ ' >= ' ~ lead_scoring.sql_number(entry['threshold']) ~ ' then ' ~ result) -%}
            {%- endif -%}
        {%- endfor -%}
        {#- a single entry (only the lowest) needs no case -#}
        {%- set value = (
            steps[0][5:] if steps | length == 1
            else 'case ' ~ steps | join(' ') ~ ' end'
        ) -%}
        {%- do branches.append(
            'when scorecard_id = ' ~ lead_scoring.string_literal(card['scorecard_id'])
            ~ ' then ' ~ value
        ) -%}
    {%- endfor -%}
    {%- if branches | length == 0 -%}
        {{ return('cast(null as ' ~ (dbt.type_string() if output == 'name' else dbt.type_int()) ~ ')') }}
    {%- endif -%}
    {{ return('case ' ~ branches | join(' ') ~ ' end') }}
{% endmacro %}
