{% macro ordered_string_agg(measure, delimiter_text, order_by) %}
    {#-
        An aggregate: the group's `measure` texts joined by `delimiter_text`
        in the order of `order_by` (an order-by list without the keywords).
        dbt.listagg ignores the order on Spark; this keeps it on both.

        Example: ordered_string_agg("name", "', '", "n desc, name")
    -#}
    {{ return(adapter.dispatch('ordered_string_agg', 'lead_scoring')(
        measure, delimiter_text, order_by
    )) }}
{% endmacro %}

{% macro default__ordered_string_agg(measure, delimiter_text, order_by) -%}
    string_agg({{ measure }}, {{ delimiter_text }} order by {{ order_by }})
{%- endmacro %}

{% macro spark__ordered_string_agg(measure, delimiter_text, order_by) -%}
    string_agg({{ measure }}, {{ delimiter_text }}) within group (order by {{ order_by }})
{%- endmacro %}
