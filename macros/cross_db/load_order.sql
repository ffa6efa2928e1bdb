{% macro load_order() %}
    {#-
        A number that grows with the order in which rows were loaded into a
        raw table, used to break ties between versions with the same
        `updated_at` ("the last one loaded wins") and to keep the first of
        duplicated events. Must be used in the first CTE over a source.
    -#}
    {{ return(adapter.dispatch('load_order', 'lead_scoring')()) }}
{% endmacro %}

{% macro default__load_order() -%}
    row_number() over ()
{%- endmacro %}

{% macro spark__load_order() -%}
    monotonically_increasing_id()
{%- endmacro %}
