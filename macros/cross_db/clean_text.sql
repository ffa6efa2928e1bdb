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
    {#-
        trim() with a character set costs ~2 s per column and 10 million
        rows; text whose first and last characters are printable ASCII
        (almost all of it) has nothing to trim and takes a fast path.
    -#}
    {%- set characters = [] -%}
    {%- for code in lead_scoring.whitespace_code_points() -%}
        {%- do characters.append('chr(' ~ code ~ ')') -%}
    {%- endfor -%}
    {%- set text = 'cast(' ~ expression ~ ' as ' ~ dbt.type_string() ~ ')' -%}
    case
        when
            ord({{ text }}[1]) between 33 and 126
            and ord({{ text }}[-1]) between 33 and 126
            then {{ text }}
        else nullif(trim({{ text }}, {{ characters | join(' || ') }}), '')
    end
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
