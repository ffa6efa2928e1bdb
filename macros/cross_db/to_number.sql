{% macro to_number(expression) %}
    {#-
        Text as a number (double) when it is a plain decimal number such as
        `12`, `-3.5`, `.5` or `1e3`; null otherwise (words, `nan`, `inf`,
        thousands separators), so that a numeric scorecard test on a value
        that is not a number simply does not match.
    -#}
    {{ return(adapter.dispatch('to_number', 'lead_scoring')(expression)) }}
{% endmacro %}

{% macro duckdb__to_number(expression) -%}
    case
        when
            regexp_full_match(
                {{ expression }},
                '[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?'
            )
            then {{ lead_scoring.try_cast(expression, 'double') }}
    end
{%- endmacro %}

{% macro spark__to_number(expression) -%}
    case
        when
            {{ expression }}
            rlike '^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?$'
            then try_cast({{ expression }} as double)
    end
{%- endmacro %}
