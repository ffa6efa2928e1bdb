{% macro string_literal(value) %}
    {#-
        A scorecard value as a SQL string literal. A value is data, never SQL:
        every quote (and, on Spark, every backslash) is escaped, so the value
        is matched literally whatever characters it holds.
    -#}
    {{ return(adapter.dispatch('string_literal', 'lead_scoring')(value)) }}
{% endmacro %}

{% macro default__string_literal(value) -%}
    {{- return("'" ~ (value | string).replace("'", "''") ~ "'") -}}
{%- endmacro %}

{% macro spark__string_literal(value) -%}
    {{- return("'" ~ (value | string).replace("\\", "\\\\").replace("'", "\\'") ~ "'") -}}
{%- endmacro %}
