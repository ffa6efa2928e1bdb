{% macro clean_text(expression) %}
    {#-
        Text as the scorecard compares it: cast to a string, surrounding
        white space removed, and an empty result turned into null, so that
        "missing" means one thing. White space is exactly what Python's
        str.strip() removes (and Jinja's trim, which cleans scorecard
        values): ASCII blanks and controls 9-13 and 28-31, NEL, no-break
        space and the Unicode space separators.
    -#}
    {{ return(adapter.dispatch('clean_text', 'lead_scoring')(expression)) }}
{% endmacro %}

{% macro duckdb__clean_text(expression) -%}
    {%- set characters = [] -%}
    {%- for code in lead_scoring.whitespace_code_points() -%}
        {%- do characters.append('chr(' ~ code ~ ')') -%}
    {%- endfor -%}
    nullif(
        trim(
            cast({{ expression }} as {{ dbt.type_string() }}),
            {{ characters | join(' || ') }}
        ),
        ''
    )
{%- endmacro %}

{% macro spark__clean_text(expression) -%}
    {#- Spark's chr() is byte-wide: the same set as a Java regex class -#}
    nullif(
        regexp_replace(
            cast({{ expression }} as string),
            '^[\\s\\x{1C}-\\x{1F}\\x{85}\\p{Z}]+|[\\s\\x{1C}-\\x{1F}\\x{85}\\p{Z}]+$',
            ''
        ),
        ''
    )
{%- endmacro %}
