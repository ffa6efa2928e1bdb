{% macro strip_zero_fraction(expression) %}
    {#-
        `120.0` as `120`: the text of an integral number without its zero
        fraction, so that a numeric raw column loaded as a double (pandas
        turns an integer column with gaps into floats) compares as text the
        way its CSV form does. Other text is unchanged.
    -#}
    {{ return(adapter.dispatch('strip_zero_fraction', 'lead_scoring')(expression)) }}
{% endmacro %}

{% macro default__strip_zero_fraction(expression) -%}
    regexp_replace({{ expression }}, '^([+-]?[0-9]+)[.]0+$', '\1')
{%- endmacro %}

{% macro spark__strip_zero_fraction(expression) -%}
    regexp_replace({{ expression }}, '^([+-]?[0-9]+)[.]0+$', '$1')
{%- endmacro %}
