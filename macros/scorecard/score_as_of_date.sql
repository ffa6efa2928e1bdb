{% macro score_as_of_date() %}
    {#-
        The as-of date D of scoring as a SQL date literal: the var
        `score_as_of` (YYYY-MM-DD) or, when it is empty, the UTC date the dbt
        invocation started (one date for every model of a run).
    -#}
    {%- set value = (lead_scoring.run_var('score_as_of', '') or '') | string | trim -%}
    {%- if value == '' -%}
        {%- set value = run_started_at.strftime('%Y-%m-%d') -%}
    {%- endif -%}
    {%- if not modules.re.fullmatch('[0-9]{4}-[0-9]{2}-[0-9]{2}', value) -%}
        {{ exceptions.raise_compiler_error(
            "var score_as_of must be a date written YYYY-MM-DD, got '" ~ value ~ "'"
        ) }}
    {%- endif -%}
    {%- set parsed = modules.datetime.datetime.strptime(value, '%Y-%m-%d') -%}
    {{ return("cast('" ~ value ~ "' as date)") }}
{% endmacro %}
