{% macro parse_timestamp_utc(expression) %}
    {#-
        Parses text (or an already typed timestamp) into a UTC timestamp
        without time zone. ISO 8601 text with a `Z` or a `+hh:mm` offset is
        converted to UTC; text without an offset is taken as UTC. Text that is
        not a timestamp gives null (the caller quarantines it).
    -#}
    {{ return(adapter.dispatch('parse_timestamp_utc', 'lead_scoring')(expression)) }}
{% endmacro %}

{% macro duckdb__parse_timestamp_utc(expression) -%}
    case
        when
            regexp_matches(
                {{ expression }},
                '\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*([zZ]|[+-]\d{2}(:?\d{2})?)$'
            )
            then
                timezone(
                    'UTC',
                    {{ lead_scoring.try_cast(expression, 'timestamptz') }}
                )
        else {{ lead_scoring.try_cast(expression, 'timestamp') }}
    end
{%- endmacro %}

{% macro spark__parse_timestamp_utc(expression) -%}
    {#- The Spark session time zone is UTC (profiles.yml), so a plain
        try_cast converts offsets to UTC and reads naive text as UTC. -#}
    try_cast({{ expression }} as timestamp)
{%- endmacro %}
