{% macro sql_number(number) %}
    {#-
        A number checked by validate_scorecard as a SQL double literal
        (`cast(15.0 as double)`); none becomes a typed null.
    -#}
    {%- if number is none -%}
        {{ return('cast(null as double)') }}
    {%- endif -%}
    {{ return('cast(' ~ (number | float | string) ~ ' as double)') }}
{% endmacro %}
