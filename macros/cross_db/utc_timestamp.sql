{% macro utc_timestamp(expression) %}
    {#-
        A timestamp with time zone as the UTC timestamp without time zone
        that staging keeps.

        Arguments:
            expression: a timestamp with time zone.

        Example:
            {{ lead_scoring.utc_timestamp('occurred_at') }}
    -#}
    {{ return(adapter.dispatch('utc_timestamp', 'lead_scoring')(expression)) }}
{% endmacro %}

{% macro default__utc_timestamp(expression) -%}
    timezone('UTC', {{ expression }})
{%- endmacro %}

{% macro spark__utc_timestamp(expression) -%}
    {#- Spark timestamps are instants shown in the session time zone, UTC -#}
    cast({{ expression }} as timestamp)
{%- endmacro %}
