{% macro to_local_timestamp(timestamp_utc, time_zone) %}
    {#-
        A UTC timestamp (without time zone) as the wall-clock time in an
        IANA time zone, daylight saving included: 2024-03-10 07:30 UTC is
        03:30 in America/New_York, 06:30 UTC the same day is 01:30.
    -#}
    {{ return(adapter.dispatch('to_local_timestamp', 'lead_scoring')(timestamp_utc, time_zone)) }}
{% endmacro %}

{% macro duckdb__to_local_timestamp(timestamp_utc, time_zone) -%}
    timezone({{ time_zone }}, timezone('UTC', {{ timestamp_utc }}))
{%- endmacro %}

{% macro spark__to_local_timestamp(timestamp_utc, time_zone) -%}
    from_utc_timestamp({{ timestamp_utc }}, {{ time_zone }})
{%- endmacro %}
