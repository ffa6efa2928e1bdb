{% macro try_cast(expression, data_type) %}
    {#-
        A cast that gives null instead of an error when the value does not
        convert. dbt.safe_cast is a plain cast on DuckDB and Spark, so the
        project dispatches its own.
    -#}
    {{ return(adapter.dispatch('try_cast', 'lead_scoring')(expression, data_type)) }}
{% endmacro %}

{% macro default__try_cast(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}
