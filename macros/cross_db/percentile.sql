{% macro percentile(expression, fraction) %}
    {#-
        The exact, interpolated percentile of `expression` in a group (an
        aggregate): fraction 0.5 is the median, 0.9 the 90th percentile.
    -#}
    {{ return(adapter.dispatch('percentile', 'lead_scoring')(expression, fraction)) }}
{% endmacro %}

{% macro duckdb__percentile(expression, fraction) -%}
    quantile_cont({{ expression }}, {{ fraction }})
{%- endmacro %}

{% macro spark__percentile(expression, fraction) -%}
    percentile({{ expression }}, {{ fraction }})
{%- endmacro %}
