{% macro load_order_is_position() %}
    {#-
        Whether load_order() numbers the rows of a raw table 1, 2, 3, ... in
        the order they were loaded, so that rows appended later get the
        next numbers (DuckDB: row_number() over () in insertion order).
        Spark's monotonically_increasing_id() is not a row position: a load
        watermark cannot be used there.

        Example:
            {% if lead_scoring.load_order_is_position() %} ... {% endif %}
    -#}
    {{ return(adapter.dispatch('load_order_is_position', 'lead_scoring')()) }}
{% endmacro %}

{% macro default__load_order_is_position() -%}
    {{ return(true) }}
{%- endmacro %}

{% macro spark__load_order_is_position() -%}
    {{ return(false) }}
{%- endmacro %}
