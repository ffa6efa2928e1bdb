{% macro clean_text(expression) %}
    {#-
        Text as the scorecard compares it: cast to a string, surrounding
        white space (space, tab, line breaks, no-break space) removed, and an
        empty result turned into null, so that "missing" means one thing.
    -#}
    {{ return(adapter.dispatch('clean_text', 'lead_scoring')(expression)) }}
{% endmacro %}

{% macro default__clean_text(expression) -%}
    nullif(
        trim(
            cast({{ expression }} as {{ dbt.type_string() }}),
            ' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13) || chr(160)
        ),
        ''
    )
{%- endmacro %}

{% macro spark__clean_text(expression) -%}
    nullif(
        trim(
            both concat(' ', chr(9), chr(10), chr(11), chr(12), chr(13), chr(160))
            from cast({{ expression }} as string)
        ),
        ''
    )
{%- endmacro %}
