{% macro scorecard_threshold_steps(entries, score, output='name') %}
    {#-
        One set of thresholds (bands or grades, lowest first, the lowest
        without a threshold) as a CASE on `score`: the entry with the highest
        threshold not above it, as its name or (output='rank') its rank.
    -#}
    {%- set steps = [] -%}
    {%- for entry in entries | reverse -%}
        {%- set result = lead_scoring.string_literal(entry['name']) if output == 'name' else (entries | length - loop.index0) -%}
        {%- if entry['threshold'] is none -%}
            {%- do steps.append('else ' ~ result) -%}
        {%- else -%}
            {%- do steps.append('when ' ~ score ~ ' >= ' ~ lead_scoring.sql_number(entry['threshold']) ~ ' then ' ~ result) -%}
        {%- endif -%}
    {%- endfor -%}
    {#- a single entry (only the lowest) needs no case -#}
    {{ return(steps[0][5:] if steps | length == 1 else 'case ' ~ steps | join(' ') ~ ' end') }}
{% endmacro %}
